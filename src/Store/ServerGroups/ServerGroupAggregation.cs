using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.ServerGroups;

namespace Nova.Store.ServerGroups;

/// <summary>Server groups stored inline with every append: the API lists them, the scheduler starts from them.</summary>
public partial class ServerGroupAggregation : SingleStreamProjection<ServerGroup, Guid>
{
    public ServerGroupAggregation()
    {
        foreach (var type in ServerGroupEventTypes.All) IncludeType(type);
    }

    public override ServerGroup Evolve(ServerGroup? snapshot, Guid id, IEvent e) => ServerGroup.Evolve(snapshot, e.Data);
}
