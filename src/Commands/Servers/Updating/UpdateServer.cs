using System.Net;
using System.Net.Sockets;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Updating;

/// <summary>PUT /servers/{id}: rename, describe (2.19) or give the access addresses; a field left null is left as it is.</summary>
public sealed record UpdateServer(Guid ServerId, string? Name = null, bool DescriptionGiven = false, string? Description = null,
    string? AccessIPv4 = null, string? AccessIPv6 = null) : ICommand<ServerWrite>, IValidated
{
    /// <summary>Nova's update schema: parameter_types.name, description, accessIPv4 (ipv4) and accessIPv6 (ipv6).</summary>
    public IEnumerable<string> Validate()
    {
        if (Name is not null)
        {
            if (Name.Length is 0 or > 255)
                yield return $"Invalid input for field/attribute name. Value: {Name}. '{Name}' is {(Name.Length == 0 ? "too short" : "too long")}";
            else if (Name.Trim() != Name || Name.Any(char.IsControl))
                yield return $"Invalid input for field/attribute name. Value: {Name}. An invalid 'name' value was provided. " +
                             "The name must be: printable characters. Can not start or end with whitespace.";
        }
        if (Description is { } d && (d.Length > 255 || d.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
            yield return $"Invalid input for field/attribute description. Value: {d}. " +
                         (d.Length > 255 ? $"'{d}' is too long" : "not printable characters");
        if (AccessIPv4 is { } v4 && !IsAddress(v4, AddressFamily.InterNetwork))
            yield return $"Invalid input for field/attribute accessIPv4. Value: {v4}. '{v4}' is not a 'ipv4'";
        if (AccessIPv6 is { } v6 && !IsAddress(v6, AddressFamily.InterNetworkV6))
            yield return $"Invalid input for field/attribute accessIPv6. Value: {v6}. '{v6}' is not a 'ipv6'";
    }

    /// <summary>A dotted quad for IPv4 (.NET alone would take "1" as 0.0.0.1), any IPv6 text form.</summary>
    internal static bool IsAddress(string text, AddressFamily family) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == family
        && (family != AddressFamily.InterNetwork || text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)));
}

public sealed class UpdateServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<UpdateServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(UpdateServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Update(caller.AsRequester(), command.Name, command.DescriptionGiven, command.Description,
                command.AccessIPv4, command.AccessIPv6),
            ct: ct, policy: "os_compute_api:servers:update");
}
