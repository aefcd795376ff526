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

/// <summary>
/// The host an operation runs on: its driver, its reports to the conductor, the message's cancellation. Reports are sent
/// under ids derived from the operation's, so the same report sent again (after a redelivery) is recognised as one.
/// </summary>
public sealed class OnHost(ComputeNode node, ConsumeContext context, ComputeQueues queues, ILogger log)
{
    private int reports;

    public ComputeNode Node => node;
    /// <summary>The message id of the request: the control plane keeps it across its own retries.</summary>
    public Guid? OperationId => context.MessageId;
    /// <summary>The last report sent, and the id it went under: what the journal keeps for a repeat.</summary>
    public (IHostReport Report, Guid Id)? LastReport { get; private set; }
    public string Name => node.Name;
    public IComputeDriver Driver => node.Driver;
    public ILogger Log => log;
    public CancellationToken Cancellation => context.CancellationToken;

    public async Task Report(IHostReport report)
    {
        var id = OperationId is { } operation ? OperationJournal.ReportId(operation, ++reports) : Guid.NewGuid();
        await Send(report, id);
        LastReport = (report, id);
    }

    /// <summary>Sends <paramref name="report"/> under a given message id (a journal's answer to a repeated operation).</summary>
    public async Task Send(IHostReport report, Guid id)
    {
        var endpoint = await context.GetSendEndpoint(queues.ConductorAddress);
        await endpoint.Send(report, report.GetType(), c => c.MessageId = id, context.CancellationToken);
    }

    /// <summary>The answer to a request/response question.</summary>
    public Task Respond<T>(T response) where T : class => context.RespondAsync(response);
}
