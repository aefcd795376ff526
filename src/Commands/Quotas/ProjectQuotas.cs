using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Domain.Quotas;
using Nova.Store.Quotas;

namespace Nova.Commands.Quotas;

/// <summary>
/// Section <c>Nova:Quota:Defaults</c>: the limits of a project without overrides (Nova's config defaults). As in Nova's
/// DbQuotaDriver, a project's limit is its own override, else the quota class <c>default</c>'s (set through
/// os-quota-class-sets), else this configuration's.
/// </summary>
public sealed class QuotaDefaults(QuotaLimits limits)
{
    /// <summary>The configured defaults, before any quota class.</summary>
    public QuotaLimits Limits { get; } = limits;

    public static QuotaDefaults From(IConfiguration config) =>
        new(config.GetSection("Nova:Quota:Defaults").Get<QuotaLimits>() ?? new QuotaLimits());

    /// <summary>What a project without overrides gets: the configuration under the <c>default</c> quota class.</summary>
    public async Task<QuotaLimits> Defaults(IQuerySession session, CancellationToken ct) =>
        Of(await session.LoadAsync<QuotaClassRecord>(QuotaClassRecord.Default, ct));

    /// <summary>The limits of <paramref name="projectId"/>, in <paramref name="session"/> (its transaction, when it has one).</summary>
    public async Task<QuotaLimits> For(IQuerySession session, string projectId, CancellationToken ct)
    {
        var defaults = await Defaults(session, ct);
        return await session.LoadAsync<QuotaSetRecord>(projectId, ct) is { } own ? defaults.With(own.Set()) : defaults;
    }

    /// <summary>A quota class's limits: its own, over the configured defaults.</summary>
    public QuotaLimits Of(QuotaClassRecord? quotaClass) => quotaClass is null ? Limits : Limits.With(quotaClass.Set());
}

/// <summary>Reservations and releases on a project's usage stream, in the caller's transaction.</summary>
public static class ProjectQuotas
{
    /// <summary>
    /// Locks the project's usage for the transaction, finds how many servers fit between min and max,
    /// and reserves them; throws <see cref="QuotaExceeded"/> when not even min fit.
    /// </summary>
    public static async Task<int> Reserve(IDocumentSession session, QuotaDefaults defaults, string projectId,
        ServerUsage each, int minCount, int maxCount, Func<int, IReadOnlyList<Guid>> serverIds, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ProjectUsage>(ProjectUsageId.From(projectId), ct);
        var limits = await defaults.For(session, projectId, ct);
        var count = ProjectUsageDecider.Fitting(stream.Aggregate, limits, each, minCount, maxCount);
        stream.AppendMany(ProjectUsageDecider.Reserve(stream.Aggregate, projectId, serverIds(count), each));
        return count;
    }

    public static async Task Release(IDocumentSession session, string projectId, Guid serverId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ProjectUsage>(ProjectUsageId.From(projectId), ct);
        var events = ProjectUsageDecider.Release(stream.Aggregate, serverId);
        if (events.Count > 0) stream.AppendMany(events);
    }

    /// <summary>A resize's larger flavor, counted when the resize is asked for (<see cref="QuotaExceeded"/> when it does not fit).</summary>
    public static async Task ReserveResize(IDocumentSession session, QuotaDefaults defaults, string projectId, Guid serverId,
        ServerUsage wanted, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ProjectUsage>(ProjectUsageId.From(projectId), ct);
        var limits = await defaults.For(session, projectId, ct);
        stream.AppendMany(ProjectUsageDecider.Resize(stream.Aggregate, limits, serverId, wanted));
    }

    /// <summary>The end of a resize: the server is counted for the flavor it keeps. Idempotent.</summary>
    public static async Task SettleResize(IDocumentSession session, string projectId, Guid serverId, ServerUsage kept, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ProjectUsage>(ProjectUsageId.From(projectId), ct);
        var events = ProjectUsageDecider.Settle(stream.Aggregate, serverId, kept);
        if (events.Count > 0) stream.AppendMany(events);
    }
}
