using MassTransit;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Reconciling;

/// <summary>The conductor's side of a host's reconciliation.</summary>
public sealed class HostInventoryConsumer(IMediator mediator, Caller caller) : IConsumer<HostInventory>
{
    public async Task Consume(ConsumeContext<HostInventory> context)
    {
        caller.Become(new RequestContext(Caller.NewRequestId(), "nova-compute", "service"), isAdmin: true);
        await mediator.Send(new ReconcileHost(context.Message), context.CancellationToken);
    }
}
