using System.Text.Json.Nodes;
using Nova.Api.Http;

namespace Nova.Api.Flavors;

/// <summary>PUT /flavors/{id} (2.55): Nova's <c>update</c> schema, <c>{"flavor": {"description": string|null}}</c> and nothing else.</summary>
public static class FlavorUpdateBody
{
    public static string? Read(JsonObject body)
    {
        FlavorBodyRules.OnlyKeys(body, "", "flavor");
        var flavor = NovaJson.RequireObject(body, "flavor");
        FlavorBodyRules.OnlyKeys(flavor, "flavor", "description");
        if (!flavor.ContainsKey("description"))
            throw NovaError.BadRequest("Invalid input for field/attribute flavor. Value: {}. 'description' is a required property");
        return FlavorBodyRules.Description(flavor);
    }
}
