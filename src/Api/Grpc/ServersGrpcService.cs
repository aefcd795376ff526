using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Creating;
using Nova.Commands.Servers.Deleting;
using Nova.Commands.Servers.Locking;
using Nova.Commands.Servers.Pausing;
using Nova.Commands.Servers.Rebooting;
using Nova.Commands.Servers.Rescuing;
using Nova.Commands.Servers.Shelving;
using Nova.Commands.Servers.Starting;
using Nova.Commands.Servers.Stopping;
using Nova.Commands.Servers.Suspending;
using Nova.Compute.V1;
using Nova.Projections.Servers;
using IMediator = Mediator.IMediator;
using ServerMessage = Nova.Compute.V1.Server;

namespace Nova.Api.Grpc;

/// <summary>
/// nova.compute.v1.Servers: the same commands and queries as /v2.1/servers (so the same rules),
/// with the same read-your-writes wait after every write. Parsing here, rules in the handlers.
/// </summary>
public sealed class ServersGrpcService(IMediator mediator, ReadYourWrites reads, Caller caller) : Compute.V1.Servers.ServersBase
{
    public override async Task<CreateServerResponse> CreateServer(CreateServerRequest request, ServerCallContext context)
    {
        var min = request.MinCount == 0 ? 1 : request.MinCount;
        var max = request.MaxCount == 0 ? min : request.MaxCount;
        Guid? group = request.GroupId.Length == 0 ? null
            : Guid.TryParse(request.GroupId, out var g) ? g
            : throw NovaError.BadRequest($"Invalid input for field/attribute group. Value: {request.GroupId}. '{request.GroupId}' is not a 'uuid'");
        var created = await mediator.Send(new CreateServer(
            request.Name, request.FlavorRef, request.ImageRef, request.Metadata.ToDictionary(),
            request.Networks.Length == 0 ? "auto" : request.Networks, min, max,
            request.AvailabilityZone.Length == 0 ? null : request.AvailabilityZone.Split(':')[0], group), context.CancellationToken);
        await reads.WaitFor(created.Servers, context.CancellationToken);
        return new CreateServerResponse
        {
            ServerIds = { created.Servers.Select(s => s.ServerId.ToString()) },
            ReservationId = created.ReservationId,
        };
    }

    public override async Task<ServerMessage> GetServer(GetServerRequest request, ServerCallContext context) =>
        ToMessage(await mediator.Send(new GetServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), caller.Allows(ServerJson.ExtendedAttributesPolicy));

    public override async Task<ListServersResponse> ListServers(ListServersRequest request, ServerCallContext context)
    {
        if (request.Limit < 0) throw NovaError.BadRequest($"Invalid input for field/attribute limit. Value: {request.Limit}. Must be 0 or more.");
        // The REST list's filters under the same names; host, as there, only for an admin.
        var exact = new List<KeyValuePair<string, string>>();
        if (Text(request.Host) is { } host && caller.IsAdmin) exact.Add(new("host", host));
        if (Text(request.FlavorId) is { } flavor) exact.Add(new("instance_type_id", flavor));
        if (Text(request.ImageId) is { } image) exact.Add(new("image_ref", image));
        var (vmStates, taskStates, everyTask) = Text(request.Status) is { } status ? ServerListParameters.StatesOf([status]) : ([], [], true);
        var changesSince = request.ChangesSince?.ToDateTimeOffset();
        var filter = new ServerFilter
        {
            Patterns = Text(request.Name) is { } name ? [new("display_name", name)] : [],
            VmStates = Text(request.Status) is null ? null : vmStates,
            TaskStates = everyTask ? null : taskStates,
            MatchesNothing = Text(request.Status) is not null && vmStates.Count == 0,
            Limit = request.Limit == 0 ? null : request.Limit,
            Marker = Text(request.Marker) is { } m ? Guid.TryParse(m, out var marker) ? marker : throw NovaError.BadRequest($"marker [{m}] not found") : null,
            AllTenants = request.AllTenants,
            ProjectId = Text(request.ProjectId),
            Exact = exact,
            ChangesSince = changesSince,
            Deleted = changesSince is null ? false : null,
            Sort = [new ServerSort("created_at", Descending: !request.SortAscending)],
        };
        var servers = await mediator.Send(new ListServers(filter), context.CancellationToken);
        var response = new ListServersResponse { Servers = { servers.Select(s => ToMessage(s, caller.Allows(ServerJson.ExtendedAttributesPolicy))) } };
        if (filter.Limit is { } limit && servers.Count == limit) response.NextMarker = servers[^1].Id.ToString();
        return response;
    }

    public override async Task<ServerActionResponse> DeleteServer(DeleteServerRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new DeleteServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> StartServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new StartServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> StopServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new StopServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> RebootServer(RebootServerRequest request, ServerCallContext context)
    {
        var type = request.Type switch
        {
            Compute.V1.RebootType.Soft => Domain.Servers.RebootType.Soft,
            Compute.V1.RebootType.Hard => Domain.Servers.RebootType.Hard,
            _ => throw NovaError.BadRequest($"Invalid input for field/attribute type. Value: {request.Type}. It is not one of [REBOOT_TYPE_SOFT, REBOOT_TYPE_HARD]"),
        };
        return await Written(mediator.Send(new RebootServer(ServerEndpoints.ParseId(request.ServerId), type), context.CancellationToken), context);
    }

    public override async Task<ServerActionResponse> LockServer(LockServerRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new LockServer(ServerEndpoints.ParseId(request.ServerId), Text(request.LockedReason)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> UnlockServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new UnlockServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> PauseServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new PauseServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> UnpauseServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new UnpauseServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> SuspendServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new SuspendServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> ResumeServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new ResumeServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<RescueServerResponse> RescueServer(RescueServerRequest request, ServerCallContext context)
    {
        if (Text(request.RescueImageRef) is { } image && !Guid.TryParse(image, out _))
            throw NovaError.BadRequest($"Invalid input for field/attribute rescue_image_ref. Value: {image}. '{image}' is not a 'uuid'");
        var rescued = await mediator.Send(new RescueServer(ServerEndpoints.ParseId(request.ServerId), Text(request.RescueImageRef),
            Text(request.AdminPass)), context.CancellationToken);
        return new RescueServerResponse { Action = await Written(ValueTask.FromResult(rescued.Write), context), AdminPass = rescued.AdminPass };
    }

    public override async Task<ServerActionResponse> UnrescueServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new UnrescueServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> ShelveServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new ShelveServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> ShelveOffloadServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new ShelveOffloadServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    public override async Task<ServerActionResponse> UnshelveServer(ServerActionRequest request, ServerCallContext context) =>
        await Written(mediator.Send(new UnshelveServer(ServerEndpoints.ParseId(request.ServerId)), context.CancellationToken), context);

    private async Task<ServerActionResponse> Written(ValueTask<ServerWrite> command, ServerCallContext context)
    {
        var write = await command;
        await reads.WaitFor(write, context.CancellationToken);
        return new ServerActionResponse { ServerId = write.ServerId.ToString(), Version = write.Version, RequestId = caller.RequestId };
    }

    private static string? Text(string value) => value.Length == 0 ? null : value;

    public static ServerMessage ToMessage(ServerView s, bool isAdmin)
    {
        var message = new ServerMessage
        {
            Id = s.Id.ToString(),
            Name = s.Name,
            Status = s.Status,
            VmState = s.VmState,
            TaskState = s.TaskState ?? "",
            PowerState = s.PowerState,
            ProjectId = s.ProjectId,
            UserId = s.UserId,
            Flavor = new Flavor
            {
                Id = s.Flavor.Id, Name = s.Flavor.Name, Vcpus = s.Flavor.Vcpus, RamMb = s.Flavor.RamMb,
                DiskGb = s.Flavor.DiskGb, EphemeralGb = s.Flavor.EphemeralGb, SwapMb = s.Flavor.SwapMb,
            },
            ImageId = s.ImageId,
            Metadata = { s.Metadata },
            Host = isAdmin ? s.Host ?? "" : "",
            HostId = ServerJson.HostId(s.ProjectId, s.Host),
            Locked = s.Locked,
            LockedReason = s.LockedReason ?? "",
            Created = Timestamp.FromDateTimeOffset(s.CreatedAt),
            Updated = Timestamp.FromDateTimeOffset(s.UpdatedAt),
            Version = s.Version,
        };
        if (s.LaunchedAt is { } launched) message.LaunchedAt = Timestamp.FromDateTimeOffset(launched);
        if (s.Fault is { } fault && s.Status == "ERROR")
            // Nova hides a 500 fault's details from non-admins.
            message.Fault = new Fault { Code = fault.Code, Message = fault.Message, Details = isAdmin || fault.Code != 500 ? fault.Details ?? "" : "" };
        return message;
    }
}
