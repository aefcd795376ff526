using Marten;
using Mediator;
using Nova.Api.Hosts;
using Nova.Commands.Requests;

namespace Nova.Api.Servers;

/// <summary>
/// What one caller is shown of servers beyond a member's view, decided once per request: the extended attributes
/// (<c>OS-EXT-SRV-ATTR:*</c>) and, from 2.16, each host's status as Nova derives it from its compute service
/// (forced down: DOWN, disabled: MAINTENANCE, heartbeat missing: UNKNOWN, else UP). <see cref="HostStatuses"/> is
/// null when the caller may not see host status; with only the unknown-only rule it holds just the UNKNOWN hosts.
/// </summary>
public sealed record ServerAudience(bool ExtendedAttributes, IReadOnlyDictionary<string, string>? HostStatuses, bool UnknownOnly = false)
{
    public const string HostStatusPolicy = "os_compute_api:servers:show:host_status";
    public const string UnknownHostStatusPolicy = "os_compute_api:servers:show:host_status:unknown-only";

    /// <summary>Nova's HostStatus.NONE: no host, or a host with no compute service any more.</summary>
    private const string NoStatus = "";

    public string? HostStatusOf(string? host) =>
        HostStatuses is null ? null
        : host is not null && HostStatuses.TryGetValue(host, out var status) ? status
        : UnknownOnly ? null : NoStatus;

    public static ServerAudience Of(Caller caller, IReadOnlyList<ServiceRecord>? computes)
    {
        var extended = caller.Allows(ServerJson.ExtendedAttributesPolicy);
        if (computes is null) return new ServerAudience(extended, null);
        var full = caller.Allows(HostStatusPolicy);
        if (!full && !caller.Allows(UnknownHostStatusPolicy)) return new ServerAudience(extended, null);
        var statuses = computes.ToDictionary(c => c.Host, Status);
        if (full) return new ServerAudience(extended, statuses);
        return new ServerAudience(extended, statuses.Where(s => s.Value == "UNKNOWN").ToDictionary(), UnknownOnly: true);
    }

    private static string Status(ServiceRecord service) =>
        service.ForcedDown ? "DOWN" : !service.Enabled ? "MAINTENANCE" : service.IsUp ? "UP" : "UNKNOWN";
}

/// <summary>The caller's <see cref="ServerAudience"/>; host statuses are read only when the microversion shows them.</summary>
public sealed record GetServerAudience(bool WithHostStatus) : IQuery<ServerAudience>;

public sealed class GetServerAudienceHandler(IQuerySession session, Caller caller, TimeProvider clock)
    : IQueryHandler<GetServerAudience, ServerAudience>
{
    public async ValueTask<ServerAudience> Handle(GetServerAudience query, CancellationToken ct) =>
        ServerAudience.Of(caller, query.WithHostStatus && (caller.Allows(ServerAudience.HostStatusPolicy) || caller.Allows(ServerAudience.UnknownHostStatusPolicy))
            ? await ServiceRecords.Computes(session, clock.GetUtcNow(), ct)
            : null);
}
