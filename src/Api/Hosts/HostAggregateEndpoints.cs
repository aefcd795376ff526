using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.HostAggregates;
using Nova.Domain.HostAggregates;
using Nova.Store.Hosts;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Hosts;

/// <summary>
/// /v2.1/os-aggregates (admin): host aggregates, and through their <c>availability_zone</c> metadata the
/// availability zones the scheduler and <c>os-availability-zone</c> see.
/// </summary>
public static class HostAggregateEndpoints
{
    public static void MapHostAggregates(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-aggregates", async (HttpContext http, IMediator m, CancellationToken ct) =>
            NovaJson.Json(new { aggregates = (await m.Send(new ListHostAggregates(), ct)).Select(a => View(http, a)).ToList() }));
        api.MapGet("/os-aggregates/{id}", async (string id, HttpContext http, IMediator m, CancellationToken ct) =>
            NovaJson.Json(new { aggregate = View(http, await m.Send(new GetHostAggregate(ParseId(id)), ct)) }));
        api.MapPost("/os-aggregates", async (HttpContext http, IMediator m, CancellationToken ct) =>
        {
            var body = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "aggregate");
            var created = await m.Send(new CreateHostAggregate(
                NovaJson.RequireString(body, "name"), NovaJson.OptionalString(body, "availability_zone")), ct);
            return NovaJson.Json(new { aggregate = View(http, created, created: true) });
        }).WithRequestSchema("aggregates/create");
        api.MapPut("/os-aggregates/{id}", async (string id, HttpContext http, IMediator m, CancellationToken ct) =>
        {
            var aggregateId = ParseId(id);
            var body = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "aggregate");
            var updated = await m.Send(new UpdateHostAggregate(aggregateId, NovaJson.OptionalString(body, "name"),
                SetZone: body.ContainsKey("availability_zone"), NovaJson.OptionalString(body, "availability_zone")), ct);
            return NovaJson.Json(new { aggregate = View(http, updated) });
        }).WithRequestSchema("aggregates/update");
        api.MapDelete("/os-aggregates/{id}", async (string id, IMediator m, CancellationToken ct) =>
        {
            await m.Send(new DeleteHostAggregate(ParseId(id)), ct);
            return Results.Ok();
        });
        api.MapPost("/os-aggregates/{id}/action", async (string id, HttpContext http, IMediator m, CancellationToken ct) =>
        {
            var aggregateId = ParseId(id);
            var body = await NovaJson.ReadObject(http.Request);
            if (body.Count != 1) throw NovaError.BadRequest("Invalid input for field/attribute action. Exactly one of add_host, remove_host, set_metadata is required.");
            var (action, node) = body.First();
            // Schemas/aggregates/action/*.json have checked the arguments of the three known actions.
            var args = node as JsonObject ?? [];
            HostAggregateCommand change = action switch
            {
                "add_host" => new HostAggregateCommand.AddHost(HostArgument(args, action)),
                "remove_host" => new HostAggregateCommand.RemoveHost(HostArgument(args, action)),
                "set_metadata" => new HostAggregateCommand.SetMetadata(Metadata(args)),
                _ => throw NovaError.BadRequest($"Invalid input for field/attribute action. Value: {action}. Unknown action."),
            };
            var changed = await m.Send(new ChangeHostAggregate(aggregateId, change), ct);
            return NovaJson.Json(new { aggregate = View(http, changed) });
        }).WithActionSchemas("aggregates/action");
    }

    private static string HostArgument(JsonObject args, string action) => NovaJson.RequireString(args, "host");

    // null removes a key (the schema allows a string or null per key).
    private static Dictionary<string, string?> Metadata(JsonObject args) =>
        NovaJson.RequireObject(args, "metadata").ToDictionary(p => p.Key, p => p.Value is null ? null : p.Value.GetValue<string>());

    /// <summary>
    /// Nova's <c>validate_integer</c>: an id that is no integer is 400; any integer is looked up, so one no aggregate
    /// can have (negative, or beyond the id range) is the same 404 as a deleted one.
    /// </summary>
    private static int ParseId(string id)
    {
        if (!System.Numerics.BigInteger.TryParse(id.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw NovaError.BadRequest("Invalid input received: id must be an integer");
        return value >= 1 && value <= int.MaxValue ? (int)value : throw new HostAggregateNotFound($"Aggregate {id} could not be found.");
    }

    /// <summary>Nova's aggregate body; a create answers without hosts and metadata, uuid from 2.41.</summary>
    private static Dictionary<string, object?> View(HttpContext http, HostAggregateRecord a, bool created = false)
    {
        var body = new Dictionary<string, object?>
        {
            ["availability_zone"] = a.Metadata.GetValueOrDefault(HostAggregate.ZoneKey),
            ["created_at"] = NovaJson.UsageTime(a.CreatedAt),
            ["deleted"] = false,
            ["deleted_at"] = null,
            ["id"] = a.Id,
            ["name"] = a.Name,
            ["updated_at"] = NovaJson.UsageTime(a.UpdatedAt),
        };
        if (!created)
        {
            body["hosts"] = a.Hosts;
            body["metadata"] = a.Metadata;
        }
        if (MicroversionMiddleware.Of(http).AtLeast(41)) body["uuid"] = a.Uuid;
        return body;
    }
}
