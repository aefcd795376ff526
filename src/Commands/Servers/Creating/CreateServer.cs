using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Flavors;
using Nova.Commands.Requests;
using Nova.Commands.ServerGroups;
using Nova.Commands.Servers.Updating;
using Nova.Domain.Hosts;
using Nova.Domain.KeyPairs;
using Nova.Domain.Quotas;
using Nova.Domain;
using Nova.Domain.Servers;
using Nova.Store.Flavors;
using Nova.Store.Images;

namespace Nova.Commands.Servers.Creating;

/// <summary>
/// POST /servers: record the build request; scheduling happens after the relay picks it up.
/// <paramref name="MinCount"/>..<paramref name="MaxCount"/> &gt; 1 is Nova's multi-create:
/// servers NAME-1 … NAME-N, as many as the quota allows but at least min, in one transaction.
/// </summary>
public sealed record CreateServer(
    string Name, string FlavorRef, string ImageRef, IReadOnlyDictionary<string, string> Metadata, string Networks,
    int MinCount = 1, int MaxCount = 1, string? AvailabilityZone = null, Guid? GroupId = null, string? KeyName = null,
    IReadOnlyList<string>? Tags = null, string? UserData = null, string? AccessIPv4 = null, string? AccessIPv6 = null)
    : ICommand<CreatedServers>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "Invalid input for field/attribute name. Value: must not be empty.";
        else if (Name.Length > 255) yield return "Invalid input for field/attribute name. Value: longer than 255 characters.";
        if (string.IsNullOrWhiteSpace(FlavorRef)) yield return "Missing flavorRef attribute";
        if (MinCount < 1 || MaxCount > CreatedServers.MaxCount || MinCount > MaxCount)
            yield return $"Invalid input for field/attribute min_count or max_count: 1 <= min_count <= max_count <= {CreatedServers.MaxCount}.";
        if (Networks is not ("auto" or "none"))
            yield return "Requesting specific networks or ports is not supported: this control plane has no network service; use \"auto\" or \"none\".";
        if (Metadata.Count > 128) yield return "Quota exceeded for metadata items: at most 128.";
        // Nova's create schema: parameter_types.accessIPv4 / accessIPv6, as PUT /servers/{id} checks them.
        if (AccessIPv4 is { } v4 && !UpdateServer.IsAddress(v4, System.Net.Sockets.AddressFamily.InterNetwork))
            yield return $"Invalid input for field/attribute accessIPv4. Value: {v4}. '{v4}' is not a 'ipv4'";
        if (AccessIPv6 is { } v6 && !UpdateServer.IsAddress(v6, System.Net.Sockets.AddressFamily.InterNetworkV6))
            yield return $"Invalid input for field/attribute accessIPv6. Value: {v6}. '{v6}' is not a 'ipv6'";
        foreach (var (key, value) in Metadata)
            if (key.Length is 0 or > 255 || value.Length > 255)
                yield return "Invalid input for field/attribute metadata: keys 1-255, values up to 255 characters.";
    }
}

/// <summary>
/// Server ids derive from the project, the create's key (<see cref="Caller.CreationKey"/>: the client's idempotency
/// key, else the request's own id) and the position in the request: a create retried with its idempotency key is
/// the same create, and the scheduler finds every server of a multi-create from any one of them.
/// </summary>
public static class ServerIds
{
    public static Guid For(string projectId, string creationKey, int index) =>
        NameBasedId.From($"nova-server:{projectId}:{creationKey}:{index}");
}

public sealed record CreatedServers(IReadOnlyList<ServerWrite> Servers, string ReservationId)
{
    public const int MaxCount = 1000;
}

public sealed class CreateServerHandler(IDocumentStore store, EventSessions sessions, Caller caller, QuotaDefaults quotas, TimeProvider clock)
    : ICommandHandler<CreateServer, CreatedServers>
{
    public async ValueTask<CreatedServers> Handle(CreateServer command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:servers:create");
        FlavorRecord flavor;
        ImageRecord image;
        KeyPair? keyPair = null;
        await using (var query = store.QuerySession())
        {
            // A private flavor the caller may not see does not exist for it (Nova's FlavorNotFound as a 400).
            flavor = await query.LoadAsync<FlavorRecord>(command.FlavorRef, ct) is { } found && caller.Sees(found)
                ? found
                : throw new InvalidRequest($"Flavor {command.FlavorRef} could not be found.");
            image = (Guid.TryParse(command.ImageRef, out var imageId) ? await query.LoadAsync<ImageRecord>(imageId, ct) : null)
                    ?? throw new InvalidRequest($"Image {command.ImageRef} could not be found.");
            // Another project's private image does not exist for this caller.
            if (!image.IsVisibleTo(caller.ProjectId, caller.IsAdmin)) throw new InvalidRequest($"Image {command.ImageRef} could not be found.");
            if (command.AvailabilityZone is { } zone
                && !await query.Query<ComputeHost>().AnyAsync(h => h.AvailabilityZone == zone, ct))
                throw new InvalidRequest($"The requested availability zone is not available: {zone}");
            // Nova looks the key up among the caller's own key pairs; its public key goes with the server.
            if (command.KeyName is { } keyName)
                keyPair = await query.LoadAsync<KeyPair>(KeyPair.IdOf(caller.UserId, keyName), ct) is { Deleted: false } key
                    ? key
                    : throw new InvalidRequest("Invalid key_name provided.");
        }

        var now = clock.GetUtcNow();
        var spec = flavor.ToSpec();
        return await sessions.WithRetry(async session =>
        {
            // A client retrying with its Idempotency-Key gets the servers of its first attempt. Checked on every
            // attempt: a concurrent retry that lost the race to start the streams comes back here and finds them.
            var retried = new List<ServerWrite>();
            for (var i = 1; i <= command.MaxCount && await session.Events.FetchStreamStateAsync(ServerId(i), ct) is not null; i++)
                retried.Add(new ServerWrite(ServerId(i), 1));
            if (retried.Count > 0) return new CreatedServers(retried, ReservationId());
            if (image.Status != "active") throw new InvalidRequest($"Image {image.Id} is not active.");
            if (image.MinRamMb > flavor.RamMb) throw new InvalidRequest("Flavor's memory is too small for requested image.");
            if (image.MinDiskGb > flavor.DiskGb && flavor.DiskGb > 0) throw new InvalidRequest("Flavor's disk is too small for requested image.");

            var count = await ProjectQuotas.Reserve(session, quotas, caller.ProjectId, new ServerUsage(spec.Vcpus, spec.RamMb),
                command.MinCount, command.MaxCount, n => Enumerable.Range(1, n).Select(ServerId).ToList(), ct);
            if (command.GroupId is { } group)
            {
                var limits = await quotas.For(session, caller.ProjectId, ct);
                await ServerGroupMembership.Join(session, group, caller.ProjectId,
                    Enumerable.Range(1, count).Select(ServerId), limits.ServerGroupMembers, ct);
            }
            var writes = new List<ServerWrite>(count);
            for (var i = 1; i <= count; i++)
            {
                var name = command.MaxCount == 1 ? command.Name.Trim() : $"{command.Name.Trim()}-{i}";
                var batch = command.MaxCount == 1 ? null : new CreateBatch(i, count, command.MinCount, caller.CreationKey);
                var events = ServerDecider.Decide(new ServerCommand.Create(ServerId(i), name, caller.AsRequester(),
                    spec, image.Id.ToString(), command.Metadata, command.Networks, now, command.AvailabilityZone, command.GroupId, batch,
                    keyPair?.Name, keyPair?.PublicKey, command.Tags, ReservationId(), command.UserData), null);
                // The access addresses given at create are the same change PUT /servers/{id} makes, decided on the new server.
                if (command.AccessIPv4 is not null || command.AccessIPv6 is not null)
                    events = [.. events, .. ServerDecider.Decide(new ServerCommand.Update(caller.AsRequester(),
                        AccessIPv4: command.AccessIPv4, AccessIPv6: command.AccessIPv6), ServerDecider.Fold(events))];
                session.Events.StartStream<Server>(ServerId(i), events);
                writes.Add(new ServerWrite(ServerId(i), events.Count));
            }
            // All or nothing: the servers and their quota usage are one transaction.
            await session.SaveChangesAsync(ct);
            return new CreatedServers(writes, ReservationId());
        });
    }

    private Guid ServerId(int index) => ServerIds.For(caller.ProjectId, caller.CreationKey, index);

    // One per create request, shared by a multi-create's servers (kept on each server's create event).
    private string ReservationId() => Domain.Servers.ReservationId.For($"{caller.ProjectId}:{caller.CreationKey}");
}
