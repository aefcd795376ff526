using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Hosts;
using Nova.Commands.Requests;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Hosts;

/// <summary>
/// /v2.1/os-services (admin): the compute services, their operator switches and liveness. From 2.53
/// a service is named by its UUID; before, updates name it by host and binary with an action in the path.
/// </summary>
public static class ComputeServiceEndpoints
{
    public static void MapComputeServices(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-services", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var services = await mediator.Send(new ListServices(q.Text("host"), q.Text("binary")), ct);
            return NovaJson.Json(new { services = services.Select(s => Detail(http, s)).ToList() });
        });
        api.MapPut("/os-services/{id}", Update).WithRequestSchema("services/update");
        api.MapDelete("/os-services/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            RequireServiceId(http, id, allowEither: true);
            var service = await mediator.Send(new FindServiceById(id, HostStreams.DeletePolicy), ct);
            if (service.Compute is null)
                throw new Conflict($"Service {service.Binary} on host {service.Host} is part of this running control plane and cannot be deleted.");
            await mediator.Send(new DeleteComputeService(service.Host), ct);
            return Results.NoContent();
        });
    }

    public static Dictionary<string, object?> Detail(HttpContext http, ServiceRecord s)
    {
        var version = MicroversionMiddleware.Of(http);
        var body = new Dictionary<string, object?>
        {
            ["id"] = Id(http, s),
            ["binary"] = s.Binary,
            ["host"] = s.Host,
            ["zone"] = s.Zone,
            ["status"] = s.Enabled ? "enabled" : "disabled",
            ["state"] = s.IsUp ? "up" : "down",
            ["updated_at"] = NovaJson.UsageTime(s.UpdatedAt),
            ["disabled_reason"] = s.DisabledReason,
        };
        if (version.AtLeast(11)) body["forced_down"] = s.ForcedDown;
        return body;
    }

    /// <summary>Integer ids before 2.53, UUIDs from it (services and hypervisors alike).</summary>
    public static object Id(HttpContext http, ServiceRecord s) =>
        MicroversionMiddleware.Of(http).AtLeast(53) ? s.Uuid.ToString() : s.Id;

    private static async Task<IResult> Update(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var version = MicroversionMiddleware.Of(http);
        var body = await NovaJson.ReadObject(http.Request);
        return version.AtLeast(53) ? await UpdateByUuid(id, body, http, mediator, ct) : await UpdateByAction(id, body, version, mediator, ct);
    }

    /// <summary>2.53+: PUT /os-services/{uuid} with status, disabled_reason and forced_down, answering the whole service.</summary>
    private static async Task<IResult> UpdateByUuid(string id, JsonObject body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        RequireServiceId(http, id, allowEither: false);
        // Schemas/services/update.v2_53.json: only these keys, status enabled or disabled, forced_down a boolean.
        var status = NovaJson.OptionalString(body, "status");
        var reason = Reason(body);
        var forcedDown = Flag(body, "forced_down");
        if (status == "enabled" && reason is not null)
            throw NovaError.BadRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        if (status is null && forcedDown is null)
            throw NovaError.BadRequest("No updates were requested. Fields 'status' or 'forced_down' should be specified.");

        var service = await mediator.Send(new FindServiceById(id, HostStreams.UpdatePolicy), ct);
        if (service.Compute is null) throw FindServiceByHostHandler.ComputeServicesOnly(service.Binary);
        if (status == "enabled") await mediator.Send(new EnableComputeService(service.Host), ct);
        if (status == "disabled") await mediator.Send(new DisableComputeService(service.Host, reason), ct);
        if (forcedDown is { } down) await mediator.Send(new ForceDownComputeService(service.Host, down), ct);

        var updated = await mediator.Send(new FindServiceById(id, HostStreams.UpdatePolicy), ct);
        return NovaJson.Json(new { service = Detail(http, updated) });
    }

    /// <summary>Before 2.53: PUT /os-services/{enable|disable|disable-log-reason|force-down} with host and binary.</summary>
    private static async Task<IResult> UpdateByAction(string action, JsonObject body, Microversion version, IMediator mediator, CancellationToken ct)
    {
        // Schemas/services/update.v2_1.json and .v2_11.json: the keys allowed (forced_down from 2.11).
        var host = NovaJson.RequireString(body, "host");
        var binary = NovaJson.RequireString(body, "binary");
        var reason = Reason(body);
        var forcedDown = Flag(body, "forced_down");

        var service = await mediator.Send(new FindServiceByHost(host, binary, HostStreams.UpdatePolicy), ct);
        switch (action)
        {
            case "enable":
                await mediator.Send(new EnableComputeService(service.Host), ct);
                return NovaJson.Json(new { service = new { host, binary, status = "enabled" } });
            case "disable":
                // Nova's plain disable sets the flag and leaves any earlier reason in place.
                await mediator.Send(new DisableComputeService(service.Host, service.Enabled ? null : service.DisabledReason), ct);
                return NovaJson.Json(new { service = new { host, binary, status = "disabled" } });
            case "disable-log-reason":
                await mediator.Send(new DisableComputeService(service.Host, reason ?? throw NovaError.BadRequest("Missing disabled reason field")), ct);
                return NovaJson.Json(new { service = new { host, binary, status = "disabled", disabled_reason = reason } });
            case "force-down" when version.AtLeast(11):
                var down = forcedDown ?? throw NovaError.BadRequest("Missing forced_down field");
                await mediator.Send(new ForceDownComputeService(service.Host, down), ct);
                return NovaJson.Json(new { service = new { host, binary, forced_down = down } });
            default:
                throw NovaError.NotFound("Unknown action");
        }
    }

    private static void RequireServiceId(HttpContext http, string id, bool allowEither)
    {
        var isUuid = Guid.TryParse(id, out _);
        var isInt = int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        // A UUID and an integer cannot be mistaken for each other, so a delete takes either form.
        if (allowEither && (isUuid || isInt)) return;
        if (MicroversionMiddleware.Of(http).AtLeast(53))
        {
            if (!isUuid) throw NovaError.BadRequest($"Invalid uuid {id}");
        }
        else if (!isInt) throw NovaError.BadRequest("Invalid input received: id must be an integer.");
    }

    /// <summary>Its length is the command's rule (<see cref="DisableComputeService"/>), checked before anything changes.</summary>
    private static string? Reason(JsonObject body) => NovaJson.OptionalString(body, "disabled_reason");


    /// <summary>Nova's parameter_types.boolean: JSON booleans or the usual words.</summary>
    public static bool? Flag(JsonObject body, string key)
    {
        var node = body[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
            if (v.GetValueKind() == JsonValueKind.String && QueryParameters.Flag(v.GetValue<string>()) is { } b) return b;
        }
        throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {node.ToJsonString()}. {node.ToJsonString()} is not of type 'boolean'");
    }


}
