using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections.Audit;

namespace Nova.Api.Audit;

/// <summary>Recompute the hash chain of one stream, or of the whole store.</summary>
public sealed record VerifyEventChain(Guid? StreamId) : IQuery<ChainVerification>;

public sealed class VerifyEventChainHandler(IDocumentStore store, Caller caller) : IQueryHandler<VerifyEventChain, ChainVerification>
{
    public async ValueTask<ChainVerification> Handle(VerifyEventChain query, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:events:verify");
        return await EventChain.Verify(store, query.StreamId, progress: null, ct);
    }
}
