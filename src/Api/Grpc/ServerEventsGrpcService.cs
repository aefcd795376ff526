using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Nova.Api.Audit;
using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Compute.V1;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Grpc;

/// <summary>nova.compute.v1.ServerEvents: a server's history (GET /servers/{id}/events) and a live feed of it.</summary>
public sealed class ServerEventsGrpcService(IMediator mediator, EventHighWaterMark marks, IHostApplicationLifetime lifetime)
    : ServerEvents.ServerEventsBase
{
    private const int PageSize = 500;

    public override async Task<ListServerEventsResponse> ListServerEvents(ListServerEventsRequest request, ServerCallContext context)
    {
        var limit = request.Limit == 0 ? GetServerHistory.MaxLimit : request.Limit;
        var entries = await mediator.Send(new GetServerHistory(ServerEndpoints.ParseId(request.ServerId), request.AfterVersion, limit), context.CancellationToken);
        return new ListServerEventsResponse { Events = { entries.Select(ToMessage) }, More = entries.Count == limit };
    }

    /// <summary>
    /// Catches up from after_position to the store's high-water mark page by page, then waits for the
    /// mark to move and sends what lies below it, until the client cancels. Reading only below the mark
    /// (see <see cref="EventHighWaterMark"/>) is what makes a resume from the last sequence gapless.
    /// </summary>
    public override async Task Watch(WatchRequest request, IServerStreamWriter<ServerEvent> stream, ServerCallContext context)
    {
        // A stopping control plane ends its watches at once (UNAVAILABLE: resume elsewhere or later),
        // rather than holding its shutdown until the clients go away.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await Follow(request, stream, watching.Token);
        }
        // Stopping wins even when the server has begun cancelling the call too (both fire during shutdown, in
        // either order): the client must learn to resume, not that it cancelled.
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The control plane is stopping: watch again from the last sequence received."));
        }
    }

    private async Task Follow(WatchRequest request, IServerStreamWriter<ServerEvent> stream, CancellationToken ct)
    {
        var scope = request.ScopeCase switch
        {
            WatchRequest.ScopeOneofCase.ServerId => new EventFeedScope(ServerEndpoints.ParseId(request.ServerId), null),
            WatchRequest.ScopeOneofCase.ProjectId => new EventFeedScope(null, request.ProjectId),
            _ => throw NovaError.BadRequest("Exactly one of server_id and project_id is required."),
        };
        var after = request.AfterPosition;
        var mark = await marks.Read(ct);
        while (true)
        {
            // The first read runs even when there is nothing to send: it answers who may watch at once.
            IReadOnlyList<HistoryEntry> page;
            do
            {
                page = await mediator.Send(new ReadServerEventFeed(scope, after, mark, PageSize), ct);
                foreach (var entry in page) await stream.WriteAsync(ToMessage(entry), ct);
                after = page.Count == PageSize ? page[^1].Sequence : Math.Max(after, mark);
            } while (page.Count == PageSize);
            mark = await marks.Beyond(after, ct);
        }
    }

    private static ServerEvent ToMessage(HistoryEntry e) => new()
    {
        Sequence = e.Sequence,
        ServerId = e.ServerId.ToString(),
        Version = e.Version,
        Timestamp = Timestamp.FromDateTimeOffset(e.Timestamp),
        Type = e.Type,
        DataJson = JsonSerializer.Serialize(e.Data, e.Data.GetType(), NovaJson.Options),
        UserId = e.UserId ?? "",
        ProjectId = e.ProjectId ?? "",
        RequestId = e.RequestId ?? "",
    };
}
