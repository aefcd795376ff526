using System.Security.Cryptography;
using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Store.Images;

namespace Nova.Commands.Servers.Rescuing;

/// <summary>
/// rescue: ACTIVE, SHUTOFF or ERROR → RESCUE (rescuing): the server boots from <paramref name="RescueImageRef"/> (else
/// its own image) with its own disk as the second disk. <paramref name="AdminPass"/> is the request's, else generated,
/// and answered as Nova does.
/// </summary>
public sealed record RescueServer(Guid ServerId, string? RescueImageRef, string? AdminPass) : ICommand<RescuedServer>;

public sealed record RescuedServer(ServerWrite Write, string AdminPass);

public sealed class RescueServerHandler(IDocumentStore store, EventSessions sessions, Caller caller)
    : ICommandHandler<RescueServer, RescuedServer>
{
    public async ValueTask<RescuedServer> Handle(RescueServer command, CancellationToken ct)
    {
        string? rescueImage = null;
        if (command.RescueImageRef is { } reference)
        {
            await using var query = store.QuerySession();
            var image = (Guid.TryParse(reference, out var imageId) ? await query.LoadAsync<ImageRecord>(imageId, ct) : null)
                        ?? throw new InvalidRequest($"Image {reference} could not be found.");
            // Another project's private image does not exist for this caller.
            if (!image.IsVisibleTo(caller.ProjectId, caller.IsAdmin)) throw new InvalidRequest($"Image {reference} could not be found.");
            if (image.Status != "active") throw new InvalidRequest($"Image {image.Id} is not active.");
            rescueImage = image.Id.ToString();
        }
        var write = await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Rescue(caller.AsRequester(), rescueImage), ct: ct, policy: "os_compute_api:os-rescue");
        return new RescuedServer(write, command.AdminPass ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)));
    }
}
