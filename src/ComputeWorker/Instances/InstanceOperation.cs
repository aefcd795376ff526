using MassTransit;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// What one host does with one kind of control-plane message (Nova's compute manager method), beside the
/// action's slice; the host's queue consumes every message some operation handles.
/// </summary>
public interface IInstanceOperation<in TMessage> where TMessage : class, IInstanceMessage
{
    /// <summary>False for questions that change nothing (console output): they do not wait for the instance's lock.</summary>
    bool Exclusive => true;

    Task Run(TMessage message, OnHost host);
}

/// <summary>The host an operation runs on: its driver, its reports to the conductor, the message's cancellation.</summary>
public sealed class OnHost(ComputeNode node, ConsumeContext context, ComputeQueues queues, ILogger log)
{
    public ComputeNode Node => node;
    public string Name => node.Name;
    public IComputeDriver Driver => node.Driver;
    public ILogger Log => log;
    public CancellationToken Cancellation => context.CancellationToken;

    public async Task Report(IHostReport report)
    {
        var endpoint = await context.GetSendEndpoint(queues.ConductorAddress);
        await endpoint.Send(report, report.GetType(), context.CancellationToken);
    }

    /// <summary>The answer to a request/response question.</summary>
    public Task Respond<T>(T response) where T : class => context.RespondAsync(response);
}
