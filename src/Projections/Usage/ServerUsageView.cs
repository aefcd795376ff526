using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.Servers;
using Nova.Domain.Usage;

namespace Nova.Projections.Usage;

/// <summary>
/// The read model behind os-simple-tenant-usage: one document per server that ever launched, with every period it ran
/// on one flavor (see <see cref="UsagePeriods"/>), so any window's usage is computed exactly rather than sampled.
/// </summary>
public sealed class ServerUsageView
{
    public Guid Id { get; set; }
    public string ProjectId { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Nova's vm_state name, for the row's <c>state</c> while the server lives.</summary>
    public string VmState { get; set; } = "";
    /// <summary>Its first launch: when it began to count (null until it launched).</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>Its deletion (Nova's terminated_at).</summary>
    public DateTimeOffset? EndedAt { get; set; }
    public List<UsagePeriod> Periods { get; set; } = new();

    /// <summary>The domain state the periods were folded with.</summary>
    public Server? State { get; set; }
}

/// <summary>Builds <see cref="ServerUsageView"/> with the domain's own Evolve, so a flavor is the one the write side had.</summary>
public partial class ServerUsageProjection : SingleStreamProjection<ServerUsageView, Guid>
{
    public ServerUsageProjection()
    {
        foreach (var type in ServerEventTypes.All) IncludeType(type);
    }

    public override ServerUsageView Evolve(ServerUsageView? snapshot, Guid id, IEvent e)
    {
        var view = snapshot ?? new ServerUsageView { Id = id };
        var before = view.State;
        var state = Server.Evolve(before, e.Data);
        view.State = state;
        view.ProjectId = state.ProjectId;
        view.Name = state.Name;
        view.VmState = NovaNames.Of(state.VmState);
        view.Periods = [.. UsagePeriods.After(view.Periods, before, state, e.Data, e.Timestamp)];
        view.StartedAt = view.Periods.Count > 0 ? view.Periods[0].From : null;
        view.EndedAt = state.TerminatedAt;
        return view;
    }
}
