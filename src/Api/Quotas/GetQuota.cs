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
        if (query.Defaults) return new QuotaView(await defaults.Defaults(session, ct), null);
        caller.Authorize("os_compute_api:os-quota-sets:show", query.ProjectId);
        var limits = await defaults.For(session, query.ProjectId, ct);
        return new QuotaView(limits, await session.LoadAsync<ProjectUsage>(ProjectUsageId.From(query.ProjectId), ct));
    }
}

public sealed record QuotaView(QuotaLimits Limits, ProjectUsage? Usage);

/// <summary>A quota class's limits (admin): its own over the configured defaults, whatever its name, as in Nova.</summary>
public sealed record GetQuotaClass(string ClassName) : IQuery<QuotaLimits>;

public sealed class GetQuotaClassHandler(IQuerySession session, Caller caller, QuotaDefaults defaults) : IQueryHandler<GetQuotaClass, QuotaLimits>
{
    public async ValueTask<QuotaLimits> Handle(GetQuotaClass query, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-quota-class-sets:show");
        return defaults.Of(await session.LoadAsync<QuotaClassRecord>(query.ClassName, ct));
    }
}
