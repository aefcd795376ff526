using System.Text.RegularExpressions;
using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Metadata;

/// <summary>Which of Nova's metadata calls: POST /metadata (merge), PUT /metadata (replace all), PUT /metadata/{key} (one item).</summary>
public enum MetadataChange { Merge, Replace, Item }

/// <summary>The server's metadata after a change (Nova answers with it).</summary>
public sealed record ServerMetadataWrite(ServerWrite Write, IReadOnlyDictionary<string, string> Metadata);

public sealed record SetServerMetadata(Guid ServerId, IReadOnlyDictionary<string, string> Items, MetadataChange Change)
    : ICommand<ServerMetadataWrite>, IValidated
{
    /// <summary>Nova's parameter_types.metadata: keys of 1..255 letters, digits, '-', '_', ':', '.', ' '; values up to 255.</summary>
    public IEnumerable<string> Validate() => MetadataRules.Validate(Items);
}

public sealed record DeleteServerMetadataItem(Guid ServerId, string Key) : ICommand<ServerWrite>;

public static partial class MetadataRules
{
    [GeneratedRegex("^[a-zA-Z0-9_:. -]{1,255}$")]
    private static partial Regex Key();

    public static IEnumerable<string> Validate(IReadOnlyDictionary<string, string> items)
    {
        foreach (var (key, value) in items)
        {
            if (!Key().IsMatch(key))
                yield return $"Invalid input for field/attribute metadata. Value: {key}. Additional properties are not allowed ('{key}' was unexpected)";
            else if (value.Length > 255)
                yield return $"Invalid input for field/attribute {key}. Value: {value}. '{value}' is too long";
        }
    }
}

public sealed class SetServerMetadataHandler(IDocumentStore store, EventSessions sessions, Caller caller, QuotaDefaults quotas)
    : ICommandHandler<SetServerMetadata, ServerMetadataWrite>
{
    public async ValueTask<ServerMetadataWrite> Handle(SetServerMetadata command, CancellationToken ct)
    {
        // Nova checks metadata_items against the caller's project (the request context), not the server's.
        int limit;
        await using (var query = store.QuerySession())
            limit = (await quotas.For(query, caller.ProjectId, ct)).MetadataItems;
        var policy = command.Change switch
        {
            MetadataChange.Merge => "create",
            MetadataChange.Replace => "update_all",
            _ => "update",
        };
        IReadOnlyDictionary<string, string> result = command.Items;
        var write = await ServerStreams.Execute(sessions, caller, command.ServerId,
            state =>
            {
                // Nova answers a merge with the whole metadata after it, a replace with what was sent.
                if (command.Change == MetadataChange.Merge)
                {
                    var merged = new Dictionary<string, string>(state.MetadataItems);
                    foreach (var (key, value) in command.Items) merged[key] = value;
                    result = merged;
                }
                return new ServerCommand.SetMetadata(caller.AsRequester(), command.Items, command.Change == MetadataChange.Replace, limit);
            },
            ct: ct, policy: $"os_compute_api:server-metadata:{policy}");
        return new ServerMetadataWrite(write, result);
    }
}

public sealed class DeleteServerMetadataItemHandler(EventSessions sessions, Caller caller) : ICommandHandler<DeleteServerMetadataItem, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(DeleteServerMetadataItem command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.DeleteMetadataItem(caller.AsRequester(), command.Key),
            ct: ct, policy: "os_compute_api:server-metadata:delete");
}
