using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.Hosts;

namespace Nova.Store.Hosts;

/// <summary>
/// Host capacity and claims, stored inline with every append: the scheduler reads all hosts
/// from it, and FetchForWriting starts from it instead of replaying every claim ever made.
/// </summary>
public partial class ComputeHostAggregation : SingleStreamProjection<ComputeHost, Guid>
{
    public ComputeHostAggregation()
    {
        foreach (var type in ComputeHostEventTypes.All) IncludeType(type);
    }

    public override ComputeHost Evolve(ComputeHost? snapshot, Guid id, IEvent e) => ComputeHost.Evolve(snapshot, e.Data);
}
