using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Quotas;

namespace Nova.Commands.Quotas;

/// <summary>
/// PUT /os-quota-class-sets/{name} (admin): set some of a quota class's limits. The class <c>default</c> is the defaults
/// every project without a limit of its own gets; any other name is stored and shown, and used by nothing, as in Nova.
/// </summary>
public sealed record UpdateQuotaClassSet(string ClassName, IReadOnlyDictionary<string, int> Changes) : ICommand<QuotaClassRecord>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (ClassName.Length is < 1 or > 255)
            yield return $"quota_class_name has {ClassName.Length} characters, it must be between 1 and 255 characters long.";
        foreach (var problem in QuotaChanges.Validate(Changes)) yield return problem;
    }
}

public sealed class UpdateQuotaClassSetHandler(IDocumentStore store, Caller caller) : ICommandHandler<UpdateQuotaClassSet, QuotaClassRecord>
{
    public async ValueTask<QuotaClassRecord> Handle(UpdateQuotaClassSet command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-quota-class-sets:update");
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<QuotaClassRecord>(command.ClassName, ct) ?? new QuotaClassRecord { Id = command.ClassName };
        record.Apply(command.Changes);
        session.Store(record);
        await session.SaveChangesAsync(ct);
        return record;
    }
}
