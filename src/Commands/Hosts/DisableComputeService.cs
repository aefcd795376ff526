using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>os-services disable: the host takes no new builds; the servers already on it keep running.</summary>
public sealed record DisableComputeService(string Host, string? Reason) : ICommand<ComputeHost>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (Reason is { Length: 0 }) yield return "Invalid input for field/attribute disabled_reason. Value: . '' is too short";
        if (Reason is { Length: > 255 }) yield return $"Invalid input for field/attribute disabled_reason. Value: {Reason}. '{Reason}' is too long";
    }
}

public sealed class DisableComputeServiceHandler(EventSessions sessions, Caller caller)
    : ICommandHandler<DisableComputeService, ComputeHost>
{
    public async ValueTask<ComputeHost> Handle(DisableComputeService command, CancellationToken ct) =>
        await HostStreams.Execute(sessions, caller, HostStreams.UpdatePolicy, command.Host,
            new ComputeHostCommand.Disable(command.Reason), ct);
}
