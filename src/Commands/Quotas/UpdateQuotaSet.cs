using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Quotas;

namespace Nova.Commands.Quotas;

/// <summary>PUT /os-quota-sets/{project} (admin): override some limits; null leaves a limit as it is.</summary>
public sealed record UpdateQuotaSet(
    string ProjectId, int? Instances, int? Cores, int? RamMb, int? MetadataItems, int? KeyPairs,
    int? ServerGroups, int? ServerGroupMembers) : ICommand<QuotaSetRecord>, IValidated
{
    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[] { ("instances", Instances), ("cores", Cores), ("ram", RamMb),
                     ("metadata_items", MetadataItems), ("key_pairs", KeyPairs), ("server_groups", ServerGroups),
                     ("server_group_members", ServerGroupMembers) })
            if (value is < -1) yield return $"Invalid input for field/attribute {name}. Value: {value}. {value} is less than the minimum of -1";
    }
}

public sealed class UpdateQuotaSetHandler(IDocumentStore store, Caller caller) : ICommandHandler<UpdateQuotaSet, QuotaSetRecord>
{
    public async ValueTask<QuotaSetRecord> Handle(UpdateQuotaSet command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-quota-sets:update");
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<QuotaSetRecord>(command.ProjectId, ct) ?? new QuotaSetRecord { Id = command.ProjectId };
        record.Instances = command.Instances ?? record.Instances;
        record.Cores = command.Cores ?? record.Cores;
        record.RamMb = command.RamMb ?? record.RamMb;
        record.MetadataItems = command.MetadataItems ?? record.MetadataItems;
        record.KeyPairs = command.KeyPairs ?? record.KeyPairs;
        record.ServerGroups = command.ServerGroups ?? record.ServerGroups;
        record.ServerGroupMembers = command.ServerGroupMembers ?? record.ServerGroupMembers;
        session.Store(record);
        await session.SaveChangesAsync(ct);
        return record;
    }
}
