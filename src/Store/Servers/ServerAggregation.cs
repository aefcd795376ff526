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

    /// <remarks>
    /// A stream that does not begin with <see cref="ServerCreateRequested"/> (a host's, a server group's: any id a
    /// client may send as a server id) is no server: null, which callers answer as 404.
    /// </remarks>
    public override Server? Evolve(Server? snapshot, Guid id, IEvent e) =>
        snapshot is null && e.Data is not ServerCreateRequested ? null : Server.Evolve(snapshot, e.Data);
}
