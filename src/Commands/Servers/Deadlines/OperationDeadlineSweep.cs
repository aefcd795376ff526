using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Commands.Relay;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using Nova.Domain.Servers;
using Nova.Store.Operations;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Deadlines;

/// <summary>
/// Every few seconds, the operations whose deadline passed: one that ended (its task is over) or was superseded (a newer
/// operation of the same server was relayed) is forgotten; one still waited on is sent again with the same message id,
/// so a host that already did it only answers again; after the last attempt the control plane ends the task itself
/// (<see cref="EndTimedOutOperation"/>). The timers are documents, so they survive a restart of this process.
/// </summary>
public sealed class OperationDeadlineSweep(
    IServiceScopeFactory scopes, IDocumentStore store, IBus bus, OperationDeadlines deadlines, TimeProvider clock,
    ILogger<OperationDeadlineSweep> log) : BackgroundService
{
    private static readonly HashSet<Type> Relayed = [.. RelayRules.EventTypes];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(deadlines.SweepSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Sweep(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Operation deadline sweep failed, the next pass tries again: {Error}", e.Message);
            }
        }
    }

    public async Task Sweep(CancellationToken ct)
    {
        IReadOnlyList<PendingOperation> due;
        var now = clock.GetUtcNow();
        await using (var query = store.QuerySession())
            due = await query.Query<PendingOperation>().Where(p => p.DueAt <= now).OrderBy(p => p.DueAt).Take(200).ToListAsync(ct);
        foreach (var pending in due)
        {
            try
            {
                await Handle(pending, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Deadline of {Operation} for server {ServerId} could not be handled, next pass tries again: {Error}",
                    pending.Operation, pending.Id, e.Message);
            }
        }
    }

    private async Task Handle(PendingOperation pending, CancellationToken ct)
    {
        Server? server;
        bool superseded;
        await using (var query = store.QuerySession())
        {
            server = await query.Events.AggregateStreamAsync<Server>(pending.Id, token: ct);
            var later = await query.Events.FetchStreamAsync(pending.Id, fromVersion: pending.Version + 1, token: ct);
            superseded = later.Any(e => Relayed.Contains(e.EventType));
        }

        if (server is null || server.TaskState is null || server.VmState == VmState.Deleted || superseded)
        {
            await Replace(pending, next: null, ct);
            return;
        }

        if (pending.Attempts < deadlines.Attempts)
        {
            var deadline = pending.DueAt - pending.SentAt;
            log.LogWarning("No answer to {Operation} of server {ServerId} from {Receiver} within {Deadline}; sending it again (attempt {Attempt} of {Attempts})",
                pending.Operation, pending.Id, pending.Host ?? "the scheduler", deadline, pending.Attempts + 1, deadlines.Attempts);
            var endpoint = await bus.GetSendEndpoint(ComputeQueues.Address(pending.Queue));
            var message = OperationDeadlines.MessageOf(pending);
            await endpoint.Send(message, message.GetType(), c => c.MessageId = pending.OperationId, ct);
            var now = clock.GetUtcNow();
            await Replace(pending, new PendingOperation
            {
                Id = pending.Id, OperationId = pending.OperationId, Version = pending.Version, Operation = pending.Operation,
                Host = pending.Host, Queue = pending.Queue, MessageType = pending.MessageType, Message = pending.Message,
                Attempts = pending.Attempts + 1, SentAt = now, DueAt = now + deadline,
            }, ct);
            return;
        }

        log.LogWarning("No answer to {Operation} of server {ServerId} from {Receiver} after {Attempts} attempts: ending its task",
            pending.Operation, pending.Id, pending.Host ?? "the scheduler", pending.Attempts);
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>()
                .Become(new RequestContext(Caller.NewRequestId(), "nova", "service"), isAdmin: true);
            await scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new EndTimedOutOperation(pending.Id, pending.Host, pending.Operation, pending.Attempts), ct);
        }
        await Replace(pending, next: null, ct);
    }

    /// <summary>
    /// Replaces (or removes) the timer only while it is still this operation's: the relay may have stored a newer one for
    /// the server meanwhile, and that one stays (the insert then fails on its key and nothing changes).
    /// </summary>
    private async Task Replace(PendingOperation pending, PendingOperation? next, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.DeleteWhere<PendingOperation>(p => p.Id == pending.Id && p.OperationId == pending.OperationId);
        if (next is not null) session.Insert(next);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (next is not null && e is JasperFx.DocumentAlreadyExistsException)
        {
            log.LogDebug("Server {ServerId} has a newer operation than {Operation}; its timer stays", pending.Id, pending.Operation);
        }
    }
}
