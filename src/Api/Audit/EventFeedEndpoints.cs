using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Marten;
using Nova.Api.Http;
using Nova.Projections.Audit;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Audit;

/// <summary>
/// The global event feed for auditors (admin only, native extensions beyond Nova):
/// GET /v2.1/events (paged by global sequence), GET /v2.1/events/export (NDJSON, streamed) and
/// GET /v2.1/events/verify (the hash chains).
/// </summary>
public static class EventFeedEndpoints
{
    private const int MaxLimit = 1000;

    public static void MapEventFeed(this IEndpointRouteBuilder api)
    {
        api.MapGet("/events", async (HttpContext http, IMediator mediator, IDocumentStore store, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var filter = Filter(q, store);
            var after = After(q);
            var limit = Math.Clamp(q.Limit() ?? MaxLimit, 1, MaxLimit);
            var page = await mediator.Send(new GetEventPage(filter, after, limit), ct);

            http.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (var e in page.Events) EventJson.Write(json, e);
            json.WriteEndArray();
            // Everything matching up to here has been seen: an empty or short page resumes from it.
            json.WriteNumber("high_water_mark", page.HighWaterMark);
            if (page.Events.Count == limit)
            {
                var next = QueryString.Create(q.Where(p => p.Key != "after").Append(new("after", page.Events[^1].Sequence.ToString(CultureInfo.InvariantCulture))));
                json.WriteStartArray("events_links");
                json.WriteStartObject();
                json.WriteString("rel", "next");
                json.WriteString("href", $"{Links.Compute(http)}/events{next}");
                json.WriteEndObject();
                json.WriteEndArray();
            }
            json.WriteEndObject();
        });

        api.MapGet("/events/export", async (HttpContext http, IMediator mediator, IDocumentStore store, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var events = mediator.CreateStream(new ExportEvents(Filter(q, store), After(q)), ct).GetAsyncEnumerator(ct);
            await using var _ = events;
            // The first row decides the status (403, a database error): nothing is sent before it.
            var more = await events.MoveNextAsync();
            http.Response.ContentType = "application/x-ndjson";
            var body = http.Response.BodyWriter;
            await using var json = new Utf8JsonWriter(body);
            for (var n = 1; more; n++)
            {
                EventJson.Write(json, events.Current);
                json.Flush();
                body.Write("\n"u8);
                json.Reset(body);
                // Flushing awaits a slow client: the pipe's back-pressure keeps the process's memory flat.
                if (n % 256 == 0) await body.FlushAsync(ct);
                more = await events.MoveNextAsync();
            }
            await body.FlushAsync(ct);
        });

        api.MapGet("/events/verify", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var result = await mediator.Send(new VerifyEventChain(ServerIdOf(http.Request.Query)), ct);
            return NovaJson.Json(new Dictionary<string, object?>
            {
                ["verification"] = new Dictionary<string, object?>
                {
                    ["intact"] = result.Intact,
                    ["events_checked"] = result.EventsChecked,
                    ["streams_checked"] = result.StreamsChecked,
                    ["first_break"] = result.FirstBreak is not { } b ? null : new Dictionary<string, object?>
                    {
                        ["stream_id"] = b.StreamId, ["version"] = b.Version, ["sequence"] = b.Sequence,
                        ["reason"] = b.Reason, ["expected_hash"] = b.Expected, ["stored_hash"] = b.Stored,
                    },
                },
            });
        });
    }

    private static long After(IQueryCollection q) => q.Position("after", q.NonEmptyText("after")) ?? 0;

    private static Guid? ServerIdOf(IQueryCollection q) => q.Uuid("server_id", q.NonEmptyText("server_id"));

    private static EventFeedFilter Filter(IQueryCollection q, IDocumentStore store)
    {
        List<string>? types = null;
        if (q.TryGetValue("type", out var typeValues))
        {
            var known = EventFeed.KnownTypes(store);
            types = typeValues.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (types.FirstOrDefault(t => !known.Contains(t)) is { } unknown)
                throw NovaError.BadRequest($"Invalid input for query parameters type. Value: {unknown}. '{unknown}' is not a known event type");
            if (types.Count == 0) throw NovaError.BadRequest("Invalid input for query parameters type. Value: empty.");
        }
        var since = q.Time("since", q.NonEmptyText("since"));
        var until = q.Time("until", q.NonEmptyText("until"));
        if (since is not null && until is not null && since >= until)
            throw NovaError.BadRequest($"Invalid input for query parameters since. Value: {q["since"]}. since must be before until");
        return new EventFeedFilter(types, ServerIdOf(q), q.NonEmptyText("project_id"), q.NonEmptyText("user_id"), since, until);
    }
}

/// <summary>One event as the feed, the export and a server's history render it.</summary>
public static class EventJson
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    public static void Write(Utf8JsonWriter json, StoredEvent e)
    {
        json.WriteStartObject();
        json.WriteNumber("sequence", e.Sequence);
        json.WriteString("stream_id", e.StreamId);
        json.WriteNumber("version", e.Version);
        json.WriteString("timestamp", Time(e.Timestamp));
        json.WriteString("type", e.Type);
        json.WritePropertyName("data");
        json.WriteRawValue(e.DataJson, skipInputValidation: true);
        json.WriteString("user_id", e.UserId);
        json.WriteString("project_id", e.ProjectId);
        json.WriteString("request_id", e.RequestId);
        json.WriteEndObject();
    }
}
