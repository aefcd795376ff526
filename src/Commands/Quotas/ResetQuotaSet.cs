using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Quotas;

namespace Nova.Commands.Quotas;

/// <summary>DELETE /os-quota-sets/{project} (admin): back to the defaults.</summary>
public sealed record ResetQuotaSet(string ProjectId) : ICommand<bool>;

public sealed class ResetQuotaSetHandler(IDocumentStore store, Caller caller) : ICommandHandler<ResetQuotaSet, bool>
{
    public async ValueTask<bool> Handle(ResetQuotaSet command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-quota-sets:delete");
        await using var session = store.LightweightSession();
        session.Delete<QuotaSetRecord>(command.ProjectId);
        await session.SaveChangesAsync(ct);
        return true;
    }
}
