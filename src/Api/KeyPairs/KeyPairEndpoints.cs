using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.KeyPairs;
using Nova.Domain.KeyPairs;
using IMediator = Mediator.IMediator;

namespace Nova.Api.KeyPairs;

/// <summary>/os-keypairs: a user's ssh keys and x509 certificates; 2.2 adds type, 2.10 an admin's user_id, 2.35 paging.</summary>
public static class KeyPairEndpoints
{
    public static void MapKeyPairs(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-keypairs", async (HttpContext http, IMediator m) =>
        {
            var version = MicroversionMiddleware.Of(http);
            var paged = version.AtLeast(35);
            var limit = paged ? http.Request.Query.Limit() : null;
            var marker = paged ? http.Request.Query.Text("marker") : null;
            var pairs = await m.Send(new ListKeyPairs(UserOf(http), limit, marker));
            var body = new Dictionary<string, object?>
            {
                ["keypairs"] = pairs.Select(k => new { keypair = Index(http, k) }).ToList(),
            };
            if (paged && Links.Next(http, "os-keypairs", limit, pairs.Count, pairs.LastOrDefault()?.Name is { } last ? Uri.EscapeDataString(last) : null) is { } next)
                body["keypairs_links"] = next;
            return NovaJson.Json(body);
        });
        api.MapGet("/os-keypairs/{name}", async (string name, HttpContext http, IMediator m) =>
            NovaJson.Json(new { keypair = Show(http, await m.Send(new GetKeyPair(name, UserOf(http)))) }));
        api.MapPost("/os-keypairs", async (HttpContext http, IMediator m) =>
        {
            var version = MicroversionMiddleware.Of(http);
            // Schemas/keypairs/create.v2_*.json: the keys allowed at this version, name's format, type's values.
            var keypair = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "keypair");
            var name = NovaJson.RequireString(keypair, "name");
            var type = NovaJson.OptionalString(keypair, "type") ?? KeyPair.Ssh;
            var created = await m.Send(new CreateKeyPair(name, type, NovaJson.OptionalString(keypair, "public_key"),
                NovaJson.OptionalString(keypair, "user_id")));
            var shown = new Dictionary<string, object?>();
            if (created.PrivateKey is { } privateKey) shown["private_key"] = privateKey;
            if (version.AtLeast(2)) shown["type"] = created.KeyPair.Type;
            shown["name"] = created.KeyPair.Name;
            shown["public_key"] = created.KeyPair.PublicKey;
            shown["fingerprint"] = created.KeyPair.Fingerprint;
            shown["user_id"] = created.KeyPair.UserId;
            return NovaJson.Json(new { keypair = shown }, version.AtLeast(2) ? 201 : 200);
        }).WithRequestSchema("keypairs/create");
        api.MapDelete("/os-keypairs/{name}", async (string name, HttpContext http, IMediator m) =>
        {
            await m.Send(new DeleteKeyPair(name, UserOf(http)));
            return MicroversionMiddleware.Of(http).AtLeast(2) ? Results.NoContent() : Results.StatusCode(202);
        });
    }

    /// <summary>The <c>user_id</c> query parameter, read from 2.10 (the first one when repeated, as Nova does).</summary>
    private static string? UserOf(HttpContext http) =>
        MicroversionMiddleware.Of(http).AtLeast(10) && http.Request.Query["user_id"] is { Count: > 0 } users ? users[0] : null;

    private static Dictionary<string, object?> Index(HttpContext http, KeyPair k)
    {
        var body = new Dictionary<string, object?> { ["name"] = k.Name, ["public_key"] = k.PublicKey, ["fingerprint"] = k.Fingerprint };
        if (MicroversionMiddleware.Of(http).AtLeast(2)) body["type"] = k.Type;
        return body;
    }

    private static Dictionary<string, object?> Show(HttpContext http, KeyPair k)
    {
        var body = Index(http, k);
        body["user_id"] = k.UserId;
        body["created_at"] = k.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        body["deleted"] = false;
        body["deleted_at"] = null;
        body["updated_at"] = null;
        body["id"] = k.Number;
        return body;
    }
}
