using Mediator;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Hosts;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Deleting;
using Nova.Commands.Servers.Shelving;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Deadlines;

/// <summary>
/// The last send of <paramref name="Operation"/> got no answer either: the task ends as its failure would, and what the
/// ending gives back (a deleted server's claim, quota and group place; a failed shelve's image; a failed unshelve's
/// claim) is given back in the same transaction, once.
/// </summary>
public sealed record EndTimedOutOperation(Guid ServerId, string? Host, string Operation, int Attempts) : ICommand<ServerWrite>;

public sealed class EndTimedOutOperationHandler(EventSessions sessions, TimeProvider clock, IConfiguration config)
    : ICommandHandler<EndTimedOutOperation, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(EndTimedOutOperation command, CancellationToken ct) =>
        await sessions.WithRetry(async session =>
        {
            var stream = await session.Events.FetchForWriting<Server>(command.ServerId, ct);
            var decision = new ServerCommand.RecordOperationTimedOut(command.Host, command.Operation, command.Attempts, clock.GetUtcNow());
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            if (events.Count == 0) return new ServerWrite(command.ServerId, stream.CurrentVersion ?? 0);
            var before = stream.Aggregate!;
            stream.AppendMany(events);
            if (events.OfType<ServerDeleted>().Any()) await ServerRemoval.GiveBack(session, config, before, ct);
            if (events.OfType<ServerActionFailed>().Any(f => f.Action == ServerAction.Shelve) && before.ShelveImageId is { } image)
                ShelveImages.Delete(session, config, image);
            if (before.Snapshot is { } snapshot && events.OfType<ServerActionFailed>().Any(f => f.Action == snapshot.Action))
                ShelveImages.Delete(session, config, snapshot.ImageId);
            await Resizing.MigrationSettlement.Apply(session, config, before, events, ct);
            if (events.OfType<ServerUnshelveFailed>().Any() && before.Host is { } unshelveHost)
                await HostClaims.Release(session, unshelveHost, before.Id, buildFailed: true, ct);
            await session.SaveChangesAsync(ct);
            return new ServerWrite(command.ServerId, (stream.StartingVersion ?? 0) + events.Count);
        });
}
