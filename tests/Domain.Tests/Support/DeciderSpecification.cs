using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.Domain.Tests.Support;

/// <summary>
/// Given events / When command / Then events, in the style of Oskar Dudycz's EventSourcing.NetCore samples:
/// the given events are folded with the aggregate's Evolve, the command goes through the pure Decide,
/// and the produced events are compared with the expected ones (record equality, in order).
/// </summary>
public sealed class DeciderSpecification<TCommand, TState>(
    Func<TCommand, TState?, IReadOnlyList<object>> decide,
    Func<TState?, object, TState> evolve)
    where TCommand : class
    where TState : class
{
    private object[] given = [];
    private TCommand? when;

    public DeciderSpecification<TCommand, TState> Given(params object[] events)
    {
        given = events;
        return this;
    }

    public DeciderSpecification<TCommand, TState> When(TCommand command)
    {
        when = command;
        return this;
    }

    /// <summary>The state the given events fold to (null for an empty stream).</summary>
    public TState? State => given.Aggregate((TState?)null, (state, e) => evolve(state, e));

    /// <summary>The command is accepted and produces exactly <paramref name="expected"/>, in that order.</summary>
    public void Then(params object[] expected)
    {
        var actual = Decide();
        Assert.Equal(expected, actual, EventComparer.Instance);
    }

    /// <summary>The command is accepted (or ignored) and produces no event.</summary>
    public void ThenNothing()
    {
        var actual = Decide();
        Assert.Empty(actual);
    }

    /// <summary>The command is refused with <typeparamref name="TException"/>; returns it for message checks.</summary>
    public TException ThenThrows<TException>() where TException : Exception =>
        Assert.Throws<TException>(() => Decide());

    private IReadOnlyList<object> Decide()
    {
        if (when is null) throw new InvalidOperationException("When(command) was not called");
        return decide(when, State);
    }
}

public static class ServerSpec
{
    public static DeciderSpecification<ServerCommand, Server> Given(params object[] events) =>
        new DeciderSpecification<ServerCommand, Server>(ServerDecider.Decide, Server.Evolve).Given(events);
}

public static class HostSpec
{
    public static DeciderSpecification<ComputeHostCommand, ComputeHost> Given(params object[] events) =>
        new DeciderSpecification<ComputeHostCommand, ComputeHost>(ComputeHostDecider.Decide, ComputeHost.Evolve).Given(events);
}

/// <summary>
/// Record equality, except for fields a record compares by reference: ServerCreateRequested.Metadata and
/// ServerScheduled.Alternates are compared by content (no alternates and an empty list mean the same).
/// </summary>
public sealed class EventComparer : IEqualityComparer<object>
{
    public static readonly EventComparer Instance = new();

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    public new bool Equals(object? x, object? y) => (x, y) switch
    {
        (ServerCreateRequested a, ServerCreateRequested b) =>
            a with { Metadata = NoMetadata } == b with { Metadata = NoMetadata } && SameContent(a.Metadata, b.Metadata),
        (ServerMetadataSet a, ServerMetadataSet b) => a.ServerId == b.ServerId && SameContent(a.Metadata, b.Metadata),
        (ServerTagsSet a, ServerTagsSet b) => a.ServerId == b.ServerId && a.Tags.SequenceEqual(b.Tags),
        (ServerScheduled a, ServerScheduled b) =>
            a with { Alternates = null } == b with { Alternates = null } && SameHosts(a.Alternates, b.Alternates),
        _ => object.Equals(x, y),
    };

    public int GetHashCode(object obj) => obj.GetType().GetHashCode();

    internal static bool SameContent(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    internal static bool SameHosts(IReadOnlyList<string>? a, IReadOnlyList<string>? b) => (a ?? []).SequenceEqual(b ?? []);
}

/// <summary>
/// Server state equality by content: the host lists (TriedHosts, Alternates) are compared in order,
/// everything else by record equality. A missing list and an empty one mean the same.
/// </summary>
public sealed class ServerStateComparer : IEqualityComparer<Server?>
{
    public static readonly ServerStateComparer Instance = new();

    public bool Equals(Server? x, Server? y) => (x, y) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        _ => x with { TriedHosts = null, Alternates = null, Metadata = null, Tags = null }
                == y with { TriedHosts = null, Alternates = null, Metadata = null, Tags = null }
             && EventComparer.SameContent(x.MetadataItems, y.MetadataItems) && EventComparer.SameHosts(x.Tags, y.Tags)
             && EventComparer.SameHosts(x.TriedHosts, y.TriedHosts)
             && EventComparer.SameHosts(x.Alternates, y.Alternates),
    };

    public int GetHashCode(Server? obj) => obj?.Id.GetHashCode() ?? 0;
}
