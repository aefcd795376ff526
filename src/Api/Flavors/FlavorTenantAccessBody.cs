using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;

namespace Nova.Api.Flavors;

/// <summary>The flavor actions' bodies, Nova's <c>add_tenant_access</c> / <c>remove_tenant_access</c>: <c>{"&lt;action&gt;": {"tenant": string 1-255}}</c>.</summary>
public static class FlavorTenantAccessBody
{
    public const string Add = "addTenantAccess", Remove = "removeTenantAccess";

    /// <summary>The action (<see cref="Add"/> or <see cref="Remove"/>) and the project it names.</summary>
    public static (string Action, string Tenant) Read(JsonObject body)
    {
        if (body.Count != 1 || body.First().Key is not (Add or Remove))
            throw NovaError.BadRequest($"Invalid input for field/attribute action. Value: {body.ToJsonString()}. Exactly one of {Add}, {Remove} is required.");
        var (action, _) = body.First();
        var args = NovaJson.RequireObject(body, action);
        FlavorBodyRules.OnlyKeys(args, action, "tenant");
        var tenant = args["tenant"] switch
        {
            null when !args.ContainsKey("tenant") => throw NovaError.BadRequest($"Invalid input for field/attribute {action}. Value: {args.ToJsonString()}. 'tenant' is a required property"),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw NovaError.BadRequest($"Invalid input for field/attribute tenant. Value: {other?.ToJsonString() ?? "None"}. {other?.ToJsonString() ?? "None"} is not of type 'string'"),
        };
        if (tenant.Length is < 1 or > 255)
            throw NovaError.BadRequest($"Invalid input for field/attribute tenant. Value: {tenant}. '{tenant}' is too {(tenant.Length == 0 ? "short" : "long")}");
        return (action, tenant);
    }
}
