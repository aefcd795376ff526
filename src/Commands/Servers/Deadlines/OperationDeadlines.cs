using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Relay;
using Nova.Store.Operations;

namespace Nova.Commands.Servers.Deadlines;

/// <summary>
/// Section <c>Nova:Deadlines</c>: how often a message nobody answered is sent again (<c>Attempts</c>, 3 by default:
/// the first send and two retries), how often the sweep looks (<c>SweepSeconds</c>), and per operation the seconds it
/// may take (<c>Operations:BuildAndRunInstance</c>, …), overriding the deadline its slice declares.
/// </summary>
public sealed class OperationDeadlines
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public int Attempts { get; init; } = 3;
    public int SweepSeconds { get; init; } = 5;
    public IReadOnlyDictionary<string, double> Operations { get; init; } = new Dictionary<string, double>();

    public static OperationDeadlines From(IConfiguration config)
    {
        var section = config.GetSection("Nova:Deadlines");
        return new OperationDeadlines
        {
            Attempts = Math.Max(1, section.GetValue("Attempts", 3)),
            SweepSeconds = Math.Max(1, section.GetValue("SweepSeconds", 5)),
            Operations = section.GetSection("Operations").GetChildren()
                .Where(c => double.TryParse(c.Value, System.Globalization.CultureInfo.InvariantCulture, out _))
                .ToDictionary(c => c.Key, c => double.Parse(c.Value!, System.Globalization.CultureInfo.InvariantCulture),
                    StringComparer.OrdinalIgnoreCase),
        };
    }

    public TimeSpan For(string operation, TimeSpan sliceDefault) =>
        Operations.TryGetValue(operation, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : sliceDefault;

    /// <summary>The pending operation for a message just sent for the event <paramref name="operationId"/> at <paramref name="version"/>.</summary>
    public PendingOperation Pending(Guid serverId, Guid operationId, long version, RelayedMessage relayed, TimeSpan sliceDefault, DateTimeOffset now)
    {
        var operation = relayed.Message.GetType().Name;
        return new PendingOperation
        {
            Id = serverId, OperationId = operationId, Version = version, Operation = operation, Host = relayed.Host,
            Queue = relayed.Queue, MessageType = relayed.Message.GetType().AssemblyQualifiedName!,
            Message = JsonSerializer.Serialize(relayed.Message, relayed.Message.GetType(), Json),
            Attempts = 1, SentAt = now, DueAt = now + For(operation, sliceDefault),
        };
    }

    /// <summary>The message as it was first sent.</summary>
    public static object MessageOf(PendingOperation pending) =>
        JsonSerializer.Deserialize(pending.Message, Type.GetType(pending.MessageType, throwOnError: true)!, Json)!;
}
