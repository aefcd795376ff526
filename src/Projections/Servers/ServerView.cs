using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.Projections.Servers;

/// <summary>The read model behind GET /servers: one document per server, built by the async daemon.</summary>
public sealed class ServerView
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string ProjectId { get; set; } = "";
    public string UserId { get; set; } = "";
    public FlavorSpec Flavor { get; set; } = new("", "", 0, 0, 0);
    public string ImageId { get; set; } = "";
    public string Networks { get; set; } = "";
    public Dictionary<string, string> Metadata { get; set; } = new();
    /// <summary>The server's tags (2.26), a JSON array the list filters ask PostgreSQL about.</summary>
    public List<string> Tags { get; set; } = new();
    public string VmState { get; set; } = "";
    public string? TaskState { get; set; }
    public int PowerState { get; set; }
    public string Status { get; set; } = "";
    public string? Host { get; set; }
    public bool Locked { get; set; }
    public string? LockedBy { get; set; }
    public string? LockedReason { get; set; }
    public ServerFault? Fault { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LaunchedAt { get; set; }
    public DateTimeOffset? TerminatedAt { get; set; }
    public bool Deleted { get; set; }
    /// <summary>The create request's reservation id (Nova's <c>reservation_id</c>), shared by a multi-create's servers.</summary>
    public string? ReservationId { get; set; }
    /// <summary>The server's place in its multi-create, from 0 (Nova's <c>launch_index</c>).</summary>
    public int LaunchIndex { get; set; }
    /// <summary>Nova's <c>hostname</c>: the name at create time, made a valid host name.</summary>
    public string? Hostname { get; set; }
    /// <summary>Stream version this view reflects: lets a writer wait for its own write.</summary>
    public long Version { get; set; }

    /// <summary>The domain state this view was built from; the view is its projection plus metadata.</summary>
    public Server? State { get; set; }
}

/// <summary>
/// Builds <see cref="ServerView"/> by replaying the domain's own Evolve, so the read side can
/// never disagree with the write side about state rules or the derived status.
/// </summary>
public partial class ServerViewProjection : SingleStreamProjection<ServerView, Guid>
{
    public ServerViewProjection()
    {
        foreach (var type in ServerEventTypes.All) IncludeType(type);
    }

    public override ServerView Evolve(ServerView? snapshot, Guid id, IEvent e)
    {
        var view = snapshot ?? new ServerView { Id = id };
        var state = Server.Evolve(view.State, e.Data);
        if (e.Data is ServerCreateRequested created)
        {
            // The create's request id is the event's correlation id (EventSessions); Nova fixes these three at create.
            view.ReservationId = created.ReservationId ?? (e.CorrelationId is { } request ? ReservationId.For(request) : null);
            view.LaunchIndex = created.Batch is { } batch ? batch.Index - 1 : 0;
            view.Hostname = created.Hostname ?? ServerHostname.From(created.Name, id);
        }
        view.State = state;
        view.Name = state.Name;
        view.ProjectId = state.ProjectId;
        view.UserId = state.UserId;
        view.Flavor = state.Flavor;
        view.ImageId = state.ImageId;
        view.Networks = state.Networks;
        // A view stored before the state held metadata keeps its own until the next metadata event.
        if (state.Metadata is { } metadata) view.Metadata = new Dictionary<string, string>(metadata);
        view.Tags = [.. state.TagList];
        view.VmState = NovaNames.Of(state.VmState);
        view.TaskState = NovaNames.Of(state.TaskState);
        view.PowerState = (int)state.PowerState;
        view.Status = state.Status;
        view.Host = state.Host;
        view.Locked = state.Locked;
        view.LockedBy = state.LockedBy;
        view.LockedReason = state.LockedReason;
        view.Fault = state.Fault;
        view.CreatedAt = state.CreatedAt;
        view.UpdatedAt = e.Timestamp;
        view.LaunchedAt = state.LaunchedAt;
        view.TerminatedAt = state.TerminatedAt;
        view.Deleted = state.VmState == Domain.Servers.VmState.Deleted;
        view.Version = e.Version;
        return view;
    }
}
