using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Domain.Quotas;
using Nova.Store.Quotas;

namespace Nova.Commands.Quotas;

/// <summary>Section <c>Nova:Quota:Defaults</c>: the limits of a project without overrides (Nova's defaults).</summary>
public sealed class QuotaDefaults(QuotaLimits limits)
{
    public QuotaLimits Limits { get; } = limits;

    public static QuotaDefaults From(IConfiguration config) =>
        new(config.GetSection("Nova:Quota:Defaults").Get<QuotaLimits>() ?? new QuotaLimits());

    public QuotaLimits For(QuotaSetRecord? overrides) => overrides is null ? Limits : new QuotaLimits(
        overrides.Instances ?? Limits.Instances, overrides.Cores ?? Limits.Cores, overrides.RamMb ?? Limits.RamMb,
        overrides.MetadataItems ?? Limits.MetadataItems, overrides.KeyPairs ?? Limits.KeyPairs,
        overrides.ServerGroups ?? Limits.ServerGroups, overrides.ServerGroupMembers ?? Limits.ServerGroupMembers);
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
        var limits = defaults.For(await session.LoadAsync<QuotaSetRecord>(projectId, ct));
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
        var limits = defaults.For(await session.LoadAsync<QuotaSetRecord>(projectId, ct));
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
