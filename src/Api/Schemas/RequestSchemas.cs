using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using Nova.Api.Http;

namespace Nova.Api.Schemas;

/// <summary>
/// Nova's request body schemas, translated from nova/api/openstack/compute/schemas/*.py into the JSON files beside
/// this class (embedded). A file <c>route.v2_N.json</c> holds the schema from microversion 2.N until the route's next
/// file; before its first file a route is not checked, as Nova checks no body outside a schema's range.
/// </summary>
public static class RequestSchemas
{
    private const string Prefix = "schema:";

    private static readonly FrozenDictionary<string, (int Minor, JsonNode Schema)[]> Routes = Load();

    private static FrozenDictionary<string, (int Minor, JsonNode Schema)[]> Load()
    {
        var assembly = typeof(RequestSchemas).Assembly;
        var routes = new Dictionary<string, List<(int, JsonNode)>>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            // "schema:servers/action/reboot.v2_1.json"
            var name = resource[Prefix.Length..].Replace('\\', '/');
            var version = name.LastIndexOf(".v2_", StringComparison.Ordinal);
            var route = name[..version];
            var minor = int.Parse(name[(version + 4)..^".json".Length], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var schema = JsonNode.Parse(stream) ?? throw new InvalidOperationException($"{resource}: empty schema");
            if (!routes.TryGetValue(route, out var list)) routes[route] = list = [];
            list.Add((minor, schema));
        }
        return routes.ToFrozenDictionary(r => r.Key, r => r.Value.OrderBy(v => v.Item1).ToArray(), StringComparer.Ordinal);
    }

    public static bool Has(string route) => Routes.ContainsKey(route);

    public static IEnumerable<string> Names => Routes.Keys;

    /// <summary>The schema in force for a route at a microversion, or null: Nova checks no body there.</summary>
    public static JsonNode? For(string route, Microversion version)
    {
        if (!Routes.TryGetValue(route, out var variants)) return null;
        JsonNode? found = null;
        foreach (var (minor, schema) in variants)
            if (version >= new Microversion(2, minor)) found = schema;
        return found;
    }

    /// <summary>Refuses a body that breaks the route's schema with Nova's 400 and message.</summary>
    public static void Check(string route, Microversion version, JsonNode body)
    {
        if (For(route, version) is { } schema && SchemaValidator.FirstViolation(schema, body) is { } violation)
            throw NovaError.BadRequest(violation.Detail);
    }
}

public static class RequestSchemaEndpoints
{
    /// <summary>
    /// The endpoint's body is checked against Nova's schema for <paramref name="route"/> (Schemas/route.v2_N.json) at the
    /// request's microversion before the handler runs; the handler reads the same parsed body (NovaJson.ReadObject).
    /// </summary>
    public static TBuilder WithRequestSchema<TBuilder>(this TBuilder endpoint, string route) where TBuilder : IEndpointConventionBuilder
    {
        if (!RequestSchemas.Has(route)) throw new InvalidOperationException($"No request schema {route} (src/Api/Schemas/{route}.v2_N.json)");
        return endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            RequestSchemas.Check(route, MicroversionMiddleware.Of(http), await NovaJson.ReadObject(http.Request));
            return await next(context);
        });
    }

    /// <summary>
    /// An action route (<c>POST …/action</c>, one key naming the action): the body is checked against
    /// <c>prefix/ACTION</c>'s schema; an action with no schema is left to the handler (unknown action, 400).
    /// </summary>
    public static TBuilder WithActionSchemas<TBuilder>(this TBuilder endpoint, string prefix) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var body = await NovaJson.ReadObject(http.Request);
            if (body.Count == 1) RequestSchemas.Check($"{prefix}/{body.First().Key}", MicroversionMiddleware.Of(http), body);
            return await next(context);
        });
}
