using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Audit;
using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Console;
using Nova.Commands.Servers.Creating;
using Nova.Commands.Servers.Deleting;
using Nova.Commands.Servers.Locking;
using Nova.Commands.Servers.Pausing;
using Nova.Commands.Servers.Rebooting;
using Nova.Commands.Servers.Rescuing;
using Nova.Commands.Servers.Resetting;
using Nova.Commands.Servers.Shelving;
using Nova.Commands.Servers.Starting;
using Nova.Commands.Servers.Stopping;
using Nova.Commands.Servers.Suspending;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>/v2.1/servers: thin endpoints; parsing here, rules in the command handlers and the decider.</summary>
public static class ServerEndpoints
{
    public static void MapServers(this IEndpointRouteBuilder api)
    {
        api.MapGet("/servers", (HttpContext http, IMediator mediator, Caller caller) => List(http, mediator, caller, detail: false));
        api.MapGet("/servers/detail", (HttpContext http, IMediator mediator, Caller caller) => List(http, mediator, caller, detail: true));
        api.MapGet("/servers/{id}", async (string id, HttpContext http, IMediator mediator, Caller caller) =>
        {
            var serverId = ParseId(id);
            // ?as_of= / ?as_of_version=: the server as this same call showed it then (replayed from its events).
            var view = ServerTimeTravel.Parse(serverId, http.Request.Query) is { } asOf
                ? await mediator.Send(asOf)
                : await mediator.Send(new GetServer(serverId));
            var audience = await mediator.Send(new GetServerAudience(MicroversionMiddleware.Of(http).AtLeast(16)));
            return NovaJson.Json(new { server = ServerJson.Detail(http, view, audience) });
        });
        api.MapPost("/servers", Create).WithRequestSchema("servers/create");
        api.MapDelete("/servers/{id}", async (string id, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
        {
            await reads.WaitFor(await mediator.Send(new DeleteServer(ParseId(id)), ct), ct);
            return Results.NoContent();
        });
        api.MapPost("/servers/{id}/action", Act).WithActionSchemas("servers/action");
        api.MapServerUpdate();
        api.MapServerMetadata();
        api.MapServerTags();
        api.MapServerAddresses();
    }

    public static Guid ParseId(string id) =>
        Guid.TryParse(id, out var guid) && guid != Guid.Empty ? guid : throw NovaError.NotFound($"Instance {id} could not be found.");

    private static async Task<IResult> List(HttpContext http, IMediator mediator, Caller caller, bool detail)
    {
        var filter = ServerListParameters.Parse(http.Request.Query, MicroversionMiddleware.Of(http),
            new ServerListCaller(caller.IsAdmin, caller.Allows("os_compute_api:servers:allow_all_filters")));
        var servers = await mediator.Send(new ListServers(filter, detail));
        var audience = detail ? await mediator.Send(new GetServerAudience(MicroversionMiddleware.Of(http).AtLeast(16))) : null;
        var body = new Dictionary<string, object?>
        {
            ["servers"] = servers.Select(s => audience is not null ? ServerJson.Detail(http, s, audience, ServerResponse.List) : ServerJson.Summary(http, s)).ToList(),
        };
        if (Links.NextPage(http, detail ? "servers/detail" : "servers", filter.Limit, ListServersHandler.MaxLimit, servers.Count,
                servers.LastOrDefault()?.Id.ToString()) is { } next)
            body["servers_links"] = next;
        return NovaJson.Json(body);
    }

    private static async Task<IResult> Create(HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct)
    {
        // Schemas/servers/create.v2_*.json has checked the body at this microversion: what is left are Nova's
        // rules that are not the schema's (no image, specific networks, min_count over max_count).
        var version = MicroversionMiddleware.Of(http);
        var body = await NovaJson.ReadObject(http.Request);
        var server = NovaJson.RequireObject(body, "server");
        var name = NovaJson.RequireString(server, "name");
        var flavorRef = server["flavorRef"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : server["flavorRef"]!.ToJsonString();
        var imageRef = NovaJson.OptionalString(server, "imageRef") ?? "";
        if (imageRef.Length == 0) throw NovaError.BadRequest("Can not find requested image");

        var metadata = (server["metadata"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];

        var networks = server["networks"] switch
        {
            null => "auto",
            JsonValue v => v.GetValue<string>(),
            JsonArray { Count: 0 } => "auto",
            _ => throw NovaError.BadRequest("Requesting specific networks or ports is not supported: this control plane has no network service; use \"auto\" or \"none\"."),
        };

        var min = NovaJson.OptionalInt(server, "min_count") ?? 1;
        var max = NovaJson.OptionalInt(server, "max_count") ?? min;
        if (min > max) throw NovaError.BadRequest("min_count must be <= max_count");
        var returnReservation = NovaJson.OptionalBool(server, "return_reservation_id") ?? false;

        var zone = NovaJson.OptionalString(server, "availability_zone");
        Guid? group = null;
        if (body["os:scheduler_hints"] is JsonObject hints && NovaJson.OptionalString(hints, "group") is { } groupText)
            group = Guid.TryParse(groupText, out var g) ? g : throw NovaError.BadRequest($"Invalid input for field/attribute group. Value: {groupText}. '{groupText}' is not a 'uuid'");
        var keyName = NovaJson.OptionalString(server, "key_name");
        // Tags at create from 2.52, checked as PUT /tags checks them.
        var tags = version.AtLeast(52) && server.ContainsKey("tags") ? ServerTagEndpoints.TagsOf(server["tags"]) : null;
        var created = await mediator.Send(new CreateServer(name, flavorRef, imageRef, metadata, networks, min, max,
            string.IsNullOrEmpty(zone) ? null : zone.Split(':')[0], group, keyName, tags, NovaJson.OptionalString(server, "user_data"),
            NovaJson.OptionalString(server, "accessIPv4"), NovaJson.OptionalString(server, "accessIPv6")), ct);
        await reads.WaitFor(created.Servers, ct);

        if (returnReservation) return NovaJson.Json(new { reservation_id = created.ReservationId }, 202);
        var first = created.Servers[0].ServerId.ToString();
        http.Response.Headers.Location = $"{Links.Compute(http)}/servers/{first}";
        var response = new Dictionary<string, object?>
        {
            ["id"] = first,
            ["links"] = Links.For(http, "servers", first),
            ["OS-DCF:diskConfig"] = "MANUAL",
            ["adminPass"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)),
        };
        if (networks != "none") response["security_groups"] = new[] { new { name = "default" } };
        return NovaJson.Json(new { server = response }, 202);
    }

    private static readonly HashSet<string> NotImplementedActions =
    [
        "os-migrateLive", "evacuate", "forceDelete", "restore",
        "changePassword", "trigger_crash_dump", "os-getVNCConsole", "os-getSerialConsole", "addSecurityGroup",
        "removeSecurityGroup", "injectNetworkInfo", "resetNetwork",
    ];

    private static async Task<IResult> Act(string id, HttpContext http, IMediator mediator, ReadYourWrites reads, Caller caller, CancellationToken ct)
    {
        var serverId = ParseId(id);
        var body = await NovaJson.ReadObject(http.Request);
        if (body.Count != 1) throw NovaError.BadRequest("Malformed request body: exactly one action expected");
        var (action, args) = body.First();
        // An implemented action's rule is checked by its handler once the server is found (404 first, as in Nova).
        if (NotImplementedActions.Contains(action)) caller.Authorize("os_compute_api:servers:unimplemented_action");
        if (action == "os-getConsoleOutput")
        {
            var length = args is JsonObject o2 ? NovaJson.OptionalInt(o2, "length") : null;
            var output = await mediator.Send(new ReadConsoleOutput(serverId, length is null or -1 ? null : length), ct);
            return NovaJson.Json(new { output });
        }
        if (action == "rescue")
        {
            var (image, password) = RescueArgumentsOf(args);
            var rescued = await mediator.Send(new RescueServer(serverId, image, password), ct);
            await reads.WaitFor(rescued.Write, ct);
            return NovaJson.Json(new { adminPass = rescued.AdminPass });
        }
        if (action == "rebuild") return await ServerImageActions.Rebuild(serverId, args, http, mediator, reads, caller, ct);
        if (action == "createImage") return await ServerImageActions.CreateImage(serverId, args, http, mediator, reads, ct);
        if (action == "createBackup") return await ServerImageActions.CreateBackup(serverId, args, http, mediator, reads, ct);
        if (action == "resize") return await ServerMigrationActions.Resize(serverId, args, mediator, reads, ct);
        if (action == "confirmResize") return await ServerMigrationActions.Confirm(serverId, mediator, reads, ct);
        if (action == "revertResize") return await ServerMigrationActions.Revert(serverId, mediator, reads, ct);
        if (action == "migrate") return await ServerMigrationActions.Migrate(serverId, args, http, mediator, reads, ct);
        ServerWrite write = action switch
        {
            "os-stop" => await mediator.Send(new StopServer(serverId), ct),
            "os-start" => await mediator.Send(new StartServer(serverId), ct),
            "reboot" => await mediator.Send(new RebootServer(serverId, RebootTypeOf(args)), ct),
            // A reason from 2.73; before, Nova's lock schema takes any body and ignores it.
            "lock" => await mediator.Send(new LockServer(serverId,
                MicroversionMiddleware.Of(http).AtLeast(73) && args is JsonObject o ? NovaJson.OptionalString(o, "locked_reason") : null), ct),
            "unlock" => await mediator.Send(new UnlockServer(serverId), ct),
            "os-resetState" => await mediator.Send(new ResetServerState(serverId, ResetStateOf(args)), ct),
            "pause" => await mediator.Send(new PauseServer(serverId), ct),
            "unpause" => await mediator.Send(new UnpauseServer(serverId), ct),
            "suspend" => await mediator.Send(new SuspendServer(serverId), ct),
            "resume" => await mediator.Send(new ResumeServer(serverId), ct),
            "unrescue" => await mediator.Send(new UnrescueServer(serverId), ct),
            "shelve" => await mediator.Send(new ShelveServer(serverId), ct),
            "shelveOffload" => await mediator.Send(new ShelveOffloadServer(serverId), ct),
            "unshelve" => await mediator.Send(new UnshelveServer(serverId), ct),
            _ when NotImplementedActions.Contains(action) =>
                throw new NovaError(501, $"The '{action}' action is not implemented by this control plane yet."),
            _ => throw NovaError.BadRequest($"There is no such action: {action}"),
        };
        await reads.WaitFor(write, ct);
        return Results.StatusCode(202);
    }

    // The bodies below have been checked by Schemas/servers/action/<action>.v2_*.json before the handler runs.

    /// <summary>rescue: null, or an object with an optional <c>adminPass</c> and <c>rescue_image_ref</c> (a uuid).</summary>
    private static (string? Image, string? AdminPass) RescueArgumentsOf(JsonNode? args) =>
        args is JsonObject o ? (NovaJson.OptionalString(o, "rescue_image_ref"), NovaJson.OptionalString(o, "adminPass")) : (null, null);

    private static VmState ResetStateOf(JsonNode? args) =>
        NovaJson.OptionalString((JsonObject)args!, "state") == "active" ? VmState.Active : VmState.Error;

    private static RebootType RebootTypeOf(JsonNode? args) =>
        NovaJson.OptionalString((JsonObject)args!, "type")!.Equals("HARD", StringComparison.OrdinalIgnoreCase) ? RebootType.Hard : RebootType.Soft;
}
