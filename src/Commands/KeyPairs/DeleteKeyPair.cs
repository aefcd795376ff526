using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.KeyPairs;

namespace Nova.Commands.KeyPairs;

/// <summary>DELETE /os-keypairs/{name}: servers booted with it keep their key_name, as in Nova.</summary>
public sealed record DeleteKeyPair(string Name, string? UserId = null) : ICommand<bool>;

public sealed class DeleteKeyPairHandler(EventSessions sessions, Caller caller) : ICommandHandler<DeleteKeyPair, bool>
{
    public async ValueTask<bool> Handle(DeleteKeyPair command, CancellationToken ct)
    {
        var user = command.UserId ?? caller.UserId;
        caller.AuthorizeForUser("os_compute_api:os-keypairs:delete", user);
        await using var session = sessions.Open();
        var stream = await session.Events.FetchForExclusiveWriting<KeyPair>(KeyPair.IdOf(user, command.Name), ct);
        if (stream.Aggregate is not { Deleted: false } keyPair) throw new KeyPairNotFound(command.Name, user);
        stream.AppendMany(KeyPairDecider.Decide(new KeyPairCommand.Delete(), keyPair));
        await session.SaveChangesAsync(ct);
        return true;
    }
}
