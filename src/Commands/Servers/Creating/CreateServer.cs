using Mediator;
using Nova.Commands.Requests;
using Nova.Domain;
using Nova.Domain.Servers;
using Nova.Projections.Flavors;
using Nova.Projections.Images;

namespace Nova.Commands.Servers.Creating;

/// <summary>POST /servers: record the build request; scheduling happens after the relay picks it up.</summary>
/// <summary><paramref name="Count"/> &gt; 1 is Nova's multi-create: servers NAME-1 … NAME-N in one transaction.</summary>
public sealed record CreateServer(
    string Name, string FlavorRef, string ImageRef, IReadOnlyDictionary<string, string> Metadata, string Networks, int Count = 1)
    : ICommand<CreatedServers>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "Invalid input for field/attribute name. Value: must not be empty.";
        else if (Name.Length > 255) yield return "Invalid input for field/attribute name. Value: longer than 255 characters.";
        if (string.IsNullOrWhiteSpace(FlavorRef)) yield return "Missing flavorRef attribute";
        if (Count is < 1 or > CreatedServers.MaxCount) yield return $"Invalid input for field/attribute min_count or max_count: 1 to {CreatedServers.MaxCount}.";
        if (Metadata.Count > 128) yield return "Quota exceeded for metadata items: at most 128.";
        foreach (var (key, value) in Metadata)
            if (key.Length is 0 or > 255 || value.Length > 255)
                yield return "Invalid input for field/attribute metadata: keys 1-255, values up to 255 characters.";
    }
}

public sealed record CreatedServers(IReadOnlyList<ServerWrite> Servers, string ReservationId)
{
    public const int MaxCount = 1000;
}

public sealed class CreateServerHandler(EventSessions sessions, Caller caller, TimeProvider clock)
    : ICommandHandler<CreateServer, CreatedServers>
{
    public async ValueTask<CreatedServers> Handle(CreateServer command, CancellationToken ct)
    {
        await using var session = sessions.Open();
        var flavor = await session.LoadAsync<FlavorRecord>(command.FlavorRef, ct)
                     ?? throw new InvalidRequest($"Flavor {command.FlavorRef} could not be found.");
        var image = Guid.TryParse(command.ImageRef, out var imageId)
            ? await session.LoadAsync<ImageRecord>(imageId, ct) : null;
        if (image is null) throw new InvalidRequest($"Image {command.ImageRef} could not be found.");
        if (image.Status != "active") throw new InvalidRequest($"Image {image.Id} is not active.");
        if (image.MinRamMb > flavor.RamMb) throw new InvalidRequest("Flavor's memory is too small for requested image.");
        if (image.MinDiskGb > flavor.DiskGb && flavor.DiskGb > 0) throw new InvalidRequest("Flavor's disk is too small for requested image.");

        var writes = new List<ServerWrite>(command.Count);
        var now = clock.GetUtcNow();
        for (var i = 1; i <= command.Count; i++)
        {
            // Server ids derive from the request id: a client retrying with its own
            // X-OpenStack-Request-ID gets the servers of its first attempt, not new ones.
            var id = NameBasedId.From($"nova-server:{caller.ProjectId}:{caller.RequestId}:{i}");
            var name = command.Count == 1 ? command.Name.Trim() : $"{command.Name.Trim()}-{i}";
            var events = ServerDecider.Decide(new ServerCommand.Create(id, name, caller.AsRequester(),
                flavor.ToSpec(), image.Id.ToString(), command.Metadata, command.Networks, now), null);
            session.Events.StartStream<Server>(id, events);
            writes.Add(new ServerWrite(id, events.Count));
        }
        // All or nothing: the whole request is one transaction.
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (EventSessions.IsLostRace(e))
        {
            // A retry of a request that already committed: its servers exist, answer as before.
        }
        return new CreatedServers(writes, ReservationId());
    }

    private string ReservationId() => $"r-{NameBasedId.From("nova-reservation:" + caller.RequestId).ToString("N")[..8]}";
}
