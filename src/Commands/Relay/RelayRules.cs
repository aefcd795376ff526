using Microsoft.Extensions.DependencyInjection;
using Nova.Commands.Servers;

namespace Nova.Commands.Relay;

/// <summary>The slices' relay rules by event type; one rule per event type (a second one is a start-up error).</summary>
public sealed class RelayRules
{
    private delegate ValueTask<RelayedMessage?> Translation(object e, RelayContext context, CancellationToken ct);

    private readonly Dictionary<Type, Translation> rules = new();
    private readonly Dictionary<Type, TimeSpan> deadlines = new();

    public RelayRules(IServiceProvider services)
    {
        var bind = ServerActionSlices.Generic(typeof(RelayRules), nameof(Bind));
        var deadline = ServerActionSlices.Generic(typeof(RelayRules), nameof(DeadlineOf));
        foreach (var (service, _, eventType) in ServerActionSlices.Implementing(typeof(IRelayRule<>)))
        {
            var rule = services.GetRequiredService(service);
            rules.Add(eventType, (Translation)bind.MakeGenericMethod(eventType).Invoke(null, [rule])!);
            deadlines.Add(eventType, (TimeSpan)deadline.MakeGenericMethod(eventType).Invoke(null, [rule])!);
        }
    }

    /// <summary>The deadline the slice that relays <paramref name="eventType"/> declares.</summary>
    public TimeSpan Deadline(Type eventType) => deadlines.TryGetValue(eventType, out var d) ? d : TimeSpan.FromMinutes(2);

    /// <summary>The event types some slice relays: the relay's subscription reads only these.</summary>
    public static IReadOnlyList<Type> EventTypes =>
        ServerActionSlices.Implementing(typeof(IRelayRule<>)).Select(r => r.Subject).Distinct().ToList();

    public ValueTask<RelayedMessage?> Translate(object e, RelayContext context, CancellationToken ct) =>
        rules.TryGetValue(e.GetType(), out var rule) ? rule(e, context, ct) : ValueTask.FromResult<RelayedMessage?>(null);

    private static TimeSpan DeadlineOf<TEvent>(IRelayRule<TEvent> rule) where TEvent : class => rule.Deadline;

    private static Translation Bind<TEvent>(IRelayRule<TEvent> rule) where TEvent : class =>
        (e, context, ct) => rule.Translate((TEvent)e, context, ct);
}
