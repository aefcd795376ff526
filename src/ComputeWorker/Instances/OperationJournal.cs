using System.Security.Cryptography;
using System.Text.Json;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// What this host has done, on disk (<c>Nova:Compute:StatePath</c>/&lt;host&gt;): each finished operation by its id (the
/// message id the control plane gives every send of it) with the report that ended it, and the instances torn down
/// here. A message delivered again, or sent again after its deadline, is answered with the same report instead of
/// being carried out twice; a late build of a torn-down instance does not bring it back, across restarts.
/// </summary>
public sealed class OperationJournal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly string operations;
    private readonly string terminated;

    public OperationJournal(string statePath, string host)
    {
        operations = Path.Combine(statePath, host, "operations");
        terminated = Path.Combine(statePath, host, "terminated");
        Directory.CreateDirectory(operations);
        Directory.CreateDirectory(terminated);
    }

    /// <summary>The report that ended operation <paramref name="operationId"/> here, with the message id it was sent under.</summary>
    public sealed record Entry(Guid OperationId, Guid ServerId, string Operation, string ReportType, string Report, Guid ReportId)
    {
        public IHostReport ToReport() =>
            (IHostReport)JsonSerializer.Deserialize(Report, Type.GetType(ReportType, throwOnError: true)!, Json)!;
    }

    public Entry? Find(Guid operationId)
    {
        var path = PathOf(operationId);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<Entry>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null; // torn by a crash while written: the operation is carried out again, which every operation allows
        }
    }

    public void Record(Guid operationId, Guid serverId, string operation, IHostReport report, Guid reportId) =>
        WriteAtomically(PathOf(operationId), JsonSerializer.Serialize(
            new Entry(operationId, serverId, operation, report.GetType().AssemblyQualifiedName!,
                JsonSerializer.Serialize(report, report.GetType(), Json), reportId), Json));

    public void MarkTerminated(Guid serverId) => WriteAtomically(Path.Combine(terminated, serverId.ToString()), "");

    public bool WasTerminated(Guid serverId) => File.Exists(Path.Combine(terminated, serverId.ToString()));

    /// <summary>Forgets what is older than <paramref name="age"/>: nothing sends a message that old again.</summary>
    public int Prune(TimeSpan age)
    {
        var cutoff = DateTime.UtcNow - age;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(operations).Concat(Directory.EnumerateFiles(terminated)))
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                File.Delete(file);
                removed++;
            }
        return removed;
    }

    /// <summary>The message id of the <paramref name="index"/>th report of an operation: the same on every run of it.</summary>
    public static Guid ReportId(Guid operationId, int index)
    {
        Span<byte> input = stackalloc byte[20];
        operationId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], index);
        var hash = SHA256.HashData(input);
        return new Guid(hash.AsSpan(0, 16));
    }

    private string PathOf(Guid operationId) => Path.Combine(operations, operationId + ".json");

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
