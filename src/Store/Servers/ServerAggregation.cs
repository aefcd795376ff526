using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.Servers;

namespace Nova.Store.Servers;

/// <summary>How the write side rebuilds a <see cref="Server"/> from its stream (live, never stored).</summary>
public partial class ServerAggregation : SingleStreamProjection<Server, Guid>
{
    public ServerAggregation()
    {
        foreach (var type in ServerEventTypes.All) IncludeType(type);
    }

    public override Server Evolve(Server? snapshot, Guid id, IEvent e) => Server.Evolve(snapshot, e.Data);
}
