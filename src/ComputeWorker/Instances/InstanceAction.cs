using Nova.ComputeWorker.Drivers;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// An action on an existing instance (stop, pause, rescue, …): one driver call, then its report; any failure
/// of the call is reported as <see cref="InstanceActionFailed"/>, so the server's task never waits for an
/// answer that will not come.
/// </summary>
public abstract class InstanceAction<TMessage> : IInstanceOperation<TMessage> where TMessage : class, IInstanceMessage
{
    protected abstract ServerAction Action { get; }

    protected abstract Task Operate(TMessage message, OnHost host);

    protected abstract IHostReport Done(TMessage message, string host);

    public async Task Run(TMessage message, OnHost host)
    {
        try
        {
            await Operate(message, host);
        }
        catch (Exception e) when (e is not OperationCanceledException || !host.Cancellation.IsCancellationRequested)
        {
            host.Log.LogWarning(e is HypervisorError ? null : e, "{Action} of {ServerId} failed on {Host}: {Error}",
                Action, message.ServerId, host.Name, e.Message);
            await host.Report(new InstanceActionFailed(message.ServerId, message.Request, host.Name, Action,
                e is HypervisorError ? e.Message : $"{Action} failed on the compute host: {e.GetType().Name}: {e.Message}"));
            return;
        }
        await host.Report(Done(message, host.Name));
    }
}
