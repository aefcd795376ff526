using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Locking;

/// <summary>lock: non-admins get 409 on every other action until unlock.</summary>
public sealed record LockServer(Guid ServerId, string? Reason) : ICommand<ServerWrite>, IValidated
{
    /// <summary>Nova's schema for <c>locked_reason</c> (2.73): at most 255 characters.</summary>
    public IEnumerable<string> Validate()
    {
        if (Reason is { Length: > 255 }) yield return "Invalid input for field/attribute locked_reason. Value: longer than 255 characters.";
    }
}

public sealed class LockServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<LockServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(LockServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Lock(caller.AsRequester(), command.Reason), ct: ct, policy: "os_compute_api:os-lock-server:lock");
}
