using System.Security.Cryptography;
using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Store.Images;

namespace Nova.Commands.Servers.Rebuilding;

/// <summary>
/// rebuild: ACTIVE, SHUTOFF or ERROR → REBUILD → ACTIVE (SHUTOFF for a stopped server), from <paramref name="ImageRef"/>, on
/// the same host with the same claim. <paramref name="AdminPass"/> is the request's, else generated, and answered as Nova does.
/// </summary>
public sealed record RebuildServer(
    Guid ServerId, string ImageRef, string? Name, IReadOnlyDictionary<string, string>? Metadata, bool PreserveEphemeral,
    string? AdminPass) : ICommand<RebuiltServer>;

public sealed record RebuiltServer(ServerWrite Write, string AdminPass);

public sealed class RebuildServerHandler(IDocumentStore store, EventSessions sessions, Caller caller)
    : ICommandHandler<RebuildServer, RebuiltServer>
{
    public async ValueTask<RebuiltServer> Handle(RebuildServer command, CancellationToken ct)
    {
        ImageRecord? image;
        await using (var query = store.QuerySession())
            image = Guid.TryParse(command.ImageRef, out var imageId) ? await query.LoadAsync<ImageRecord>(imageId, ct) : null;
        var write = await ServerStreams.Execute(sessions, caller, command.ServerId, server =>
        {
            // Nova's ImageNotFound (another project's private image does not exist for this caller), then the fit.
            if (image is null || !image.IsVisibleTo(caller.ProjectId, caller.IsAdmin)) throw new InvalidRequest("Cannot find image for rebuild");
            if (image.Status != "active") throw new InvalidRequest($"Image {image.Id} is not active.");
            if (image.MinRamMb > server.Flavor.RamMb) throw new InvalidRequest("Flavor's memory is too small for requested image.");
            if (image.MinDiskGb > server.Flavor.DiskGb && server.Flavor.DiskGb > 0) throw new InvalidRequest("Flavor's disk is too small for requested image.");
            return new ServerCommand.Rebuild(caller.AsRequester(), image.Id.ToString(), command.Name, command.Metadata, command.PreserveEphemeral);
        }, ct: ct, policy: "os_compute_api:servers:rebuild");
        return new RebuiltServer(write, command.AdminPass ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)));
    }
}
