using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;

namespace Nova.Api.Audit;

/// <summary>
/// What a server's history shows to callers without Nova's instance-action event details rule
/// (<c>os_compute_api:os-instance-actions:events:details</c>, admins by default): no host names and no fault details
/// or tracebacks, the same things os-instance-actions hides from them (nova/policies/instance_actions.py).
/// </summary>
public static class HistoryRedaction
{
    public const string DetailsPolicy = "os_compute_api:os-instance-actions:events:details";

    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "FailedHost", "Alternates", "Node", "HypervisorHostname", "Details", "Traceback",
    };

    /// <summary>The event's data as JSON without the hidden fields, at any depth (a fault inside an event too).</summary>
    public static JsonNode? WithoutHostsAndFaultDetails(object data)
    {
        var node = JsonSerializer.SerializeToNode(data, data.GetType(), NovaJson.Options);
        Strip(node);
        return node;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(Hidden.Contains).ToList()) o.Remove(key);
                foreach (var (_, value) in o) Strip(value);
                break;
            case JsonArray a:
                foreach (var item in a) Strip(item);
                break;
        }
    }
}
