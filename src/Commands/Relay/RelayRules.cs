using Microsoft.Extensions.DependencyInjection;
using Nova.Commands.Servers;

namespace Nova.Commands.Relay;

/// <summary>The slices' relay rules by event type; one rule per event type (a second one is a start-up error).</summary>
public sealed class RelayRules
{
    private delegate ValueTask<RelayedMessage?> Translation(object e, RelayContext context, CancellationToken ct);

    private readonly Dictionary<Type, Translation> rules = new();

    public RelayRules(IServiceProvider services)
    {
        var bind = ServerActionSlices.Generic(typeof(RelayRules), nameof(Bind));
        foreach (var (service, _, eventType) in ServerActionSlices.Implementing(typeof(IRelayRule<>)))
            rules.Add(eventType, (Translation)bind.MakeGenericMethod(eventType).Invoke(null, [services.GetRequiredService(service)])!);
    }

    /// <summary>The event types some slice relays: the relay's subscription reads only these.</summary>
    public static IReadOnlyList<Type> EventTypes =>
        ServerActionSlices.Implementing(typeof(IRelayRule<>)).Select(r => r.Subject).Distinct().ToList();

    public ValueTask<RelayedMessage?> Translate(object e, RelayContext context, CancellationToken ct) =>
        rules.TryGetValue(e.GetType(), out var rule) ? rule(e, context, ct) : ValueTask.FromResult<RelayedMessage?>(null);

    private static Translation Bind<TEvent>(IRelayRule<TEvent> rule) where TEvent : class =>
        (e, context, ct) => rule.Translate((TEvent)e, context, ct);
}
