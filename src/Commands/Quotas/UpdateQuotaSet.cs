using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Quotas;

namespace Nova.Commands.Quotas;

/// <summary>PUT /os-quota-sets/{project} (admin): override some limits (Nova resource names); the others stay as they are.</summary>
public sealed record UpdateQuotaSet(string ProjectId, IReadOnlyDictionary<string, int> Changes) : ICommand<QuotaSetRecord>, IValidated
{
    public IEnumerable<string> Validate() => QuotaChanges.Validate(Changes);
}

public sealed class UpdateQuotaSetHandler(IDocumentStore store, Caller caller) : ICommandHandler<UpdateQuotaSet, QuotaSetRecord>
{
    public async ValueTask<QuotaSetRecord> Handle(UpdateQuotaSet command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-quota-sets:update");
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<QuotaSetRecord>(command.ProjectId, ct) ?? new QuotaSetRecord { Id = command.ProjectId };
        record.Apply(command.Changes);
        session.Store(record);
        await session.SaveChangesAsync(ct);
        return record;
    }
}

/// <summary>Nova's bounds on a quota value (its <c>_common_quota</c> schema): -1 (unlimited) up to the database's int.</summary>
public static class QuotaChanges
{
    public static IEnumerable<string> Validate(IReadOnlyDictionary<string, int> changes)
    {
        foreach (var (name, value) in changes)
            if (value < -1) yield return $"Invalid input for field/attribute {name}. Value: {value}. {value} is less than the minimum of -1";
    }
}
