using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.Quotas;

namespace Nova.Store.Quotas;

/// <summary>A project's quota usage, stored inline with every append: /limits and the create path read it.</summary>
public partial class ProjectUsageAggregation : SingleStreamProjection<ProjectUsage, Guid>
{
    public ProjectUsageAggregation()
    {
        foreach (var type in ProjectUsageEventTypes.All) IncludeType(type);
    }

    public override ProjectUsage Evolve(ProjectUsage? snapshot, Guid id, IEvent e) => ProjectUsage.Evolve(snapshot, e.Data);
}
