namespace Nova.Domain.Quotas;

/// <summary>
/// Nova's per-project limits; -1 is unlimited. The network and personality-file limits are Nova's legacy resources: this
/// control plane enforces none of them, but keeps and answers them as Nova does (below 2.36 / 2.57), -1 by default as in
/// Nova since its network quotas became placeholders.
/// </summary>
public sealed record QuotaLimits(
    int Instances = 10, int Cores = 20, int RamMb = 51200, int MetadataItems = 128, int KeyPairs = 100,
    int ServerGroups = 10, int ServerGroupMembers = 10,
    int FloatingIps = -1, int FixedIps = -1, int SecurityGroups = -1, int SecurityGroupRules = -1,
    int InjectedFiles = 5, int InjectedFileContentBytes = 10240, int InjectedFilePathBytes = 255)
{
    public static bool Allows(int limit, long wanted) => limit < 0 || wanted <= limit;

    /// <summary>The limit of the Nova resource <paramref name="resource"/> (see <see cref="QuotaResources"/>).</summary>
    public int this[string resource] => resource switch
    {
        QuotaResources.Instances => Instances,
        QuotaResources.Cores => Cores,
        QuotaResources.Ram => RamMb,
        QuotaResources.MetadataItems => MetadataItems,
        QuotaResources.KeyPairs => KeyPairs,
        QuotaResources.ServerGroups => ServerGroups,
        QuotaResources.ServerGroupMembers => ServerGroupMembers,
        QuotaResources.FloatingIps => FloatingIps,
        QuotaResources.FixedIps => FixedIps,
        QuotaResources.SecurityGroups => SecurityGroups,
        QuotaResources.SecurityGroupRules => SecurityGroupRules,
        QuotaResources.InjectedFiles => InjectedFiles,
        QuotaResources.InjectedFileContentBytes => InjectedFileContentBytes,
        QuotaResources.InjectedFilePathBytes => InjectedFilePathBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "no such quota resource"),
    };

    /// <summary>These limits with <paramref name="overrides"/> laid over them (a resource absent there keeps its limit).</summary>
    public QuotaLimits With(IReadOnlyDictionary<string, int> overrides)
    {
        int Pick(string r, int own) => overrides.TryGetValue(r, out var v) ? v : own;
        return new QuotaLimits(
            Pick(QuotaResources.Instances, Instances), Pick(QuotaResources.Cores, Cores), Pick(QuotaResources.Ram, RamMb),
            Pick(QuotaResources.MetadataItems, MetadataItems), Pick(QuotaResources.KeyPairs, KeyPairs),
            Pick(QuotaResources.ServerGroups, ServerGroups), Pick(QuotaResources.ServerGroupMembers, ServerGroupMembers),
            Pick(QuotaResources.FloatingIps, FloatingIps), Pick(QuotaResources.FixedIps, FixedIps),
            Pick(QuotaResources.SecurityGroups, SecurityGroups), Pick(QuotaResources.SecurityGroupRules, SecurityGroupRules),
            Pick(QuotaResources.InjectedFiles, InjectedFiles), Pick(QuotaResources.InjectedFileContentBytes, InjectedFileContentBytes),
            Pick(QuotaResources.InjectedFilePathBytes, InjectedFilePathBytes));
    }
}

/// <summary>Nova's quota resource names, in the order of Nova's <c>QUOTAS.resources</c> (the order of its bodies).</summary>
public static class QuotaResources
{
    public const string Instances = "instances";
    public const string Cores = "cores";
    public const string Ram = "ram";
    public const string MetadataItems = "metadata_items";
    public const string InjectedFiles = "injected_files";
    public const string InjectedFileContentBytes = "injected_file_content_bytes";
    public const string InjectedFilePathBytes = "injected_file_path_bytes";
    public const string KeyPairs = "key_pairs";
    public const string ServerGroups = "server_groups";
    public const string ServerGroupMembers = "server_group_members";
    public const string FloatingIps = "floating_ips";
    public const string FixedIps = "fixed_ips";
    public const string SecurityGroups = "security_groups";
    public const string SecurityGroupRules = "security_group_rules";

    public static readonly IReadOnlyList<string> All =
    [
        Cores, InjectedFiles, InjectedFileContentBytes, InjectedFilePathBytes, Instances, KeyPairs, MetadataItems, Ram,
        ServerGroups, ServerGroupMembers, FixedIps, FloatingIps, SecurityGroups, SecurityGroupRules,
    ];

    /// <summary>The network proxies' limits, gone from quota sets at 2.36 and from quota classes at 2.50.</summary>
    public static readonly IReadOnlyList<string> Network = [FloatingIps, FixedIps, SecurityGroups, SecurityGroupRules];

    /// <summary>Personality files' limits, gone at 2.57.</summary>
    public static readonly IReadOnlyList<string> Personality = [InjectedFiles, InjectedFileContentBytes, InjectedFilePathBytes];
}

/// <summary>What one server counts against its project.</summary>
public sealed record ServerUsage(int Cores, int RamMb);

public sealed record QuotaUsageReserved(Guid ProjectStreamId, string ProjectId, Guid ServerId, ServerUsage Usage);

public sealed record QuotaUsageReleased(Guid ProjectStreamId, string ProjectId, Guid ServerId);

/// <summary>A resize changed what the server counts: the larger of both flavors while it runs, the kept one after.</summary>
public sealed record QuotaUsageResized(Guid ProjectStreamId, string ProjectId, Guid ServerId, ServerUsage Usage);

public static class ProjectUsageEventTypes
{
    public static readonly IReadOnlyList<Type> All = [typeof(QuotaUsageReserved), typeof(QuotaUsageReleased), typeof(QuotaUsageResized)];
}

/// <summary>
/// A project's usage (instances, cores, RAM), kept in the event store and appended in the same
/// transaction as the servers it counts: creates in one project queue on this stream, so two
/// concurrent requests can never both take the last of a quota.
/// </summary>
public sealed record ProjectUsage(Guid Id, string ProjectId, IReadOnlyDictionary<Guid, ServerUsage> Servers)
{
    public int Instances => Servers.Count;
    public int Cores => Servers.Values.Sum(s => s.Cores);
    public int RamMb => Servers.Values.Sum(s => s.RamMb);

    public static ProjectUsage Evolve(ProjectUsage? state, object @event) => @event switch
    {
        QuotaUsageReserved e => Counting(state ?? Empty(e.ProjectStreamId, e.ProjectId), e.ServerId, e.Usage),
        QuotaUsageReleased e => (state ?? Empty(e.ProjectStreamId, e.ProjectId)) with
        {
            Servers = (state?.Servers ?? new Dictionary<Guid, ServerUsage>()).Where(s => s.Key != e.ServerId)
                .ToDictionary(s => s.Key, s => s.Value),
        },
        QuotaUsageResized e => Counting(state ?? Empty(e.ProjectStreamId, e.ProjectId), e.ServerId, e.Usage),
        _ => state ?? throw new InvalidOperationException("unknown project usage event"),
    };

    private static ProjectUsage Counting(ProjectUsage usage, Guid serverId, ServerUsage counted) =>
        usage with { Servers = new Dictionary<Guid, ServerUsage>(usage.Servers) { [serverId] = counted } };

    public static ProjectUsage Empty(Guid id, string projectId) => new(id, projectId, new Dictionary<Guid, ServerUsage>());
}

public static class ProjectUsageId
{
    public static Guid From(string projectId) => NameBasedId.From("nova-project-usage:" + projectId);
}

/// <summary>Nova's quota refusal: 403 with the resource, the request and what is used.</summary>
public sealed class QuotaExceeded(string resource, long requested, long used, int limit)
    : Exception($"Quota exceeded for {resource}: Requested {requested}, but already used {used} of {limit} {resource}");

public static class ProjectUsageDecider
{
    /// <summary>
    /// How many of <paramref name="maxCount"/> servers of this size fit the quota (Nova creates as many
    /// as fit between min and max); fewer than <paramref name="minCount"/> is a refusal naming the first limit hit.
    /// </summary>
    public static int Fitting(ProjectUsage? usage, QuotaLimits limits, ServerUsage each, int minCount, int maxCount)
    {
        int instances = usage?.Instances ?? 0, cores = usage?.Cores ?? 0, ram = usage?.RamMb ?? 0;
        var fit = maxCount;
        while (fit >= minCount && !(QuotaLimits.Allows(limits.Instances, instances + fit)
                                    && QuotaLimits.Allows(limits.Cores, cores + (long)fit * each.Cores)
                                    && QuotaLimits.Allows(limits.RamMb, ram + (long)fit * each.RamMb)))
            fit--;
        if (fit >= minCount) return fit;
        if (!QuotaLimits.Allows(limits.Instances, instances + minCount)) throw new QuotaExceeded("instances", minCount, instances, limits.Instances);
        if (!QuotaLimits.Allows(limits.Cores, cores + (long)minCount * each.Cores)) throw new QuotaExceeded("cores", (long)minCount * each.Cores, cores, limits.Cores);
        throw new QuotaExceeded("ram", (long)minCount * each.RamMb, ram, limits.RamMb);
    }

    public static IReadOnlyList<object> Reserve(ProjectUsage? usage, string projectId, IEnumerable<Guid> servers, ServerUsage each) =>
        servers.Where(id => usage?.Servers.ContainsKey(id) != true)
            .Select(id => (object)new QuotaUsageReserved(ProjectUsageId.From(projectId), projectId, id, each)).ToList();

    /// <summary>
    /// A resize to <paramref name="wanted"/>: the server counts the larger of both flavors until it ends (a resize up
    /// takes the difference now, as Nova checks it), refused when that difference does not fit.
    /// </summary>
    public static IReadOnlyList<object> Resize(ProjectUsage? usage, QuotaLimits limits, Guid serverId, ServerUsage wanted)
    {
        if (usage is null || !usage.Servers.TryGetValue(serverId, out var held)) return [];
        var during = new ServerUsage(Math.Max(held.Cores, wanted.Cores), Math.Max(held.RamMb, wanted.RamMb));
        if (during == held) return [];
        if (!QuotaLimits.Allows(limits.Cores, usage.Cores - held.Cores + (long)during.Cores))
            throw new QuotaExceeded("cores", during.Cores - held.Cores, usage.Cores, limits.Cores);
        if (!QuotaLimits.Allows(limits.RamMb, usage.RamMb - held.RamMb + (long)during.RamMb))
            throw new QuotaExceeded("ram", during.RamMb - held.RamMb, usage.RamMb, limits.RamMb);
        return [new QuotaUsageResized(usage.Id, usage.ProjectId, serverId, during)];
    }

    /// <summary>The resize ended: the server counts <paramref name="kept"/> (idempotent).</summary>
    public static IReadOnlyList<object> Settle(ProjectUsage? usage, Guid serverId, ServerUsage kept) =>
        usage is not null && usage.Servers.TryGetValue(serverId, out var held) && held != kept
            ? [new QuotaUsageResized(usage.Id, usage.ProjectId, serverId, kept)]
            : [];

    /// <summary>Released exactly once: a second release finds nothing.</summary>
    public static IReadOnlyList<object> Release(ProjectUsage? usage, Guid serverId) =>
        usage is not null && usage.Servers.ContainsKey(serverId)
            ? [new QuotaUsageReleased(usage.Id, usage.ProjectId, serverId)]
            : [];
}
