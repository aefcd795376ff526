using Marten;
using Mediator;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Flavors;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain;
using Nova.Domain.Quotas;
using Nova.Domain.Servers;
using Nova.Store.Flavors;

namespace Nova.Commands.Servers.Resizing;

/// <summary>
/// resize: ACTIVE or SHUTOFF → RESIZE (resize_prep → resize_migrating → resize_migrated → resize_finish) → VERIFY_RESIZE
/// on a host the scheduler claims for the new flavor first. The quota counts the larger flavor until the resize ends.
/// </summary>
public sealed record ResizeServer(Guid ServerId, string FlavorRef) : ICommand<ServerWrite>;

public sealed class ResizeServerHandler(IDocumentStore store, EventSessions sessions, Caller caller, QuotaDefaults quotas, TimeProvider clock)
    : ICommandHandler<ResizeServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(ResizeServer command, CancellationToken ct)
    {
        FlavorRecord flavor;
        await using (var query = store.QuerySession())
            flavor = await query.LoadAsync<FlavorRecord>(command.FlavorRef, ct) is { } found && caller.Sees(found)
                ? found
                : throw new InvalidRequest($"Flavor {command.FlavorRef} could not be found.");
        var (migrationId, transferImageId) = TransferImages.IdsFor(command.ServerId, caller.RequestId);
        var now = clock.GetUtcNow();
        return await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Resize(caller.AsRequester(), flavor.ToSpec(), migrationId, transferImageId, now),
            alongside: async (session, server, _) =>
            {
                await ProjectQuotas.ReserveResize(session, quotas, server.ProjectId, server.Id, new ServerUsage(flavor.Vcpus, flavor.RamMb), ct);
                TransferImages.Create(session, server, transferImageId, migrationId, now);
            }, ct, policy: "os_compute_api:servers:resize");
    }
}

/// <summary>
/// migrate (admin): a cold migration to another host with the same flavor; at 2.56 the admin may name the host, which
/// must exist.
/// </summary>
public sealed record MigrateServer(Guid ServerId, string? Host) : ICommand<ServerWrite>;

public sealed class MigrateServerHandler(IDocumentStore store, EventSessions sessions, Caller caller, TimeProvider clock)
    : ICommandHandler<MigrateServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(MigrateServer command, CancellationToken ct)
    {
        if (command.Host is { } host)
        {
            caller.Authorize("os_compute_api:os-migrate-server:migrate:host");
            await using var query = store.QuerySession();
            if (await query.LoadAsync<Domain.Hosts.ComputeHost>(Domain.Hosts.ComputeHostId.From(host), ct) is not { Deleted: false })
                throw new InvalidRequest($"Compute host {host} could not be found.");
        }
        var (migrationId, transferImageId) = TransferImages.IdsFor(command.ServerId, caller.RequestId);
        var now = clock.GetUtcNow();
        return await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Migrate(caller.AsRequester(), command.Host, migrationId, transferImageId, now),
            alongside: (session, server, _) =>
            {
                TransferImages.Create(session, server, transferImageId, migrationId, now);
                return Task.CompletedTask;
            }, ct, policy: "os_compute_api:os-migrate-server:migrate");
    }
}

/// <summary>confirmResize: VERIFY_RESIZE → ACTIVE (or SHUTOFF) on the new host; the source's guest and claim go.</summary>
public sealed record ConfirmServerResize(Guid ServerId) : ICommand<ServerWrite>;

public sealed class ConfirmServerResizeHandler(EventSessions sessions, Caller caller, TimeProvider clock, IConfiguration config)
    : ICommandHandler<ConfirmServerResize, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(ConfirmServerResize command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.ConfirmResize(caller.AsRequester(), clock.GetUtcNow()),
            alongside: (session, server, events) => MigrationSettlement.Apply(session, config, server, events, ct),
            ct, policy: "os_compute_api:servers:confirm_resize");
}

/// <summary>revertResize: VERIFY_RESIZE → back on the source with the old flavor; the target's guest and claim go.</summary>
public sealed record RevertServerResize(Guid ServerId) : ICommand<ServerWrite>;

public sealed class RevertServerResizeHandler(EventSessions sessions, Caller caller, IConfiguration config)
    : ICommandHandler<RevertServerResize, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(RevertServerResize command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.RevertResize(caller.AsRequester()),
            alongside: (session, server, events) => MigrationSettlement.Apply(session, config, server, events, ct),
            ct, policy: "os_compute_api:servers:revert_resize");
}

/// <summary>
/// The image a migrating server's disk is handed over as: created queued with the request, owned by the control plane
/// (no tenant sees or pays for it), deleted when the migration ends.
/// </summary>
public static class TransferImages
{
    public const string OwnerProject = "nova-service";

    /// <summary>Derived from the server and the request, so a retried request names the same migration and image.</summary>
    public static (Guid MigrationId, Guid ImageId) IdsFor(Guid serverId, string requestId) =>
        (NameBasedId.From($"nova-migration:{serverId}:{requestId}"), NameBasedId.From($"nova-migration-image:{serverId}:{requestId}"));

    public static void Create(IDocumentSession session, Server server, Guid imageId, Guid migrationId, DateTimeOffset now) =>
        Shelving.ShelveImages.CreateQueued(session, server, imageId, $"{server.Name}-migration-{migrationId:N}", OwnerProject,
            new Dictionary<string, string> { ["instance_uuid"] = server.Id.ToString(), ["migration_uuid"] = migrationId.ToString() }, now);
}
