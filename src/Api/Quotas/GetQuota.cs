using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain.Quotas;
using Nova.Store.Quotas;

namespace Nova.Api.Quotas;

/// <summary>A project's limits and usage; a non-admin may only ask about their own project.</summary>
public sealed record GetQuota(string ProjectId, bool Defaults = false) : IQuery<QuotaView>;

public sealed class GetQuotaHandler(IQuerySession session, Caller caller, QuotaDefaults defaults) : IQueryHandler<GetQuota, QuotaView>
{
    public async ValueTask<QuotaView> Handle(GetQuota query, CancellationToken ct)
    {
        if (query.Defaults) return new QuotaView(defaults.Limits, null);
        caller.Authorize("os_compute_api:os-quota-sets:show", query.ProjectId);
        var limits = defaults.For(await session.LoadAsync<QuotaSetRecord>(query.ProjectId, ct));
        return new QuotaView(limits, await session.LoadAsync<ProjectUsage>(ProjectUsageId.From(query.ProjectId), ct));
    }
}

public sealed record QuotaView(QuotaLimits Limits, ProjectUsage? Usage);
