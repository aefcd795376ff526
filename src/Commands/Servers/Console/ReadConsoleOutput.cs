using Marten;
using MassTransit;
using Mediator;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Console;

/// <summary>os-getConsoleOutput: asked of the server's host over the bus (request/response), read, not recorded.</summary>
public sealed record ReadConsoleOutput(Guid ServerId, int? Lines) : IQuery<string>;

public sealed class ReadConsoleOutputHandler(IDocumentStore store, IClientFactory clients, ComputeQueues queues, Caller caller)
    : IQueryHandler<ReadConsoleOutput, string>
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(10);

    public async ValueTask<string> Handle(ReadConsoleOutput query, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var server = caller.RequireVisible(query.ServerId, await session.Events.AggregateStreamAsync<Server>(query.ServerId, token: ct));
        caller.Authorize("os_compute_api:os-console-output", server.ProjectId);
        if (server.Host is null || server.VmState == VmState.Building)
            throw new ServerConflict($"Instance {query.ServerId} is not ready yet: it has no console.");

        var client = clients.CreateRequestClient<GetConsoleOutput>(queues.HostAddress(server.Host), HostTimeout);
        try
        {
            var response = await client.GetResponse<ConsoleOutput>(
                new GetConsoleOutput(query.ServerId, caller.AsRequestContext(), query.Lines), ct);
            return response.Message.Error is { } error ? throw new Conflict(error) : response.Message.Output;
        }
        catch (RequestTimeoutException)
        {
            throw new Conflict($"The compute host {server.Host} did not answer in {HostTimeout.TotalSeconds:F0} s.");
        }
    }
}
