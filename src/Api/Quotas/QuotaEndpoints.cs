using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain.Quotas;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Quotas;

/// <summary>/limits and /os-quota-sets: limits per project, usage counted from the event store.</summary>
public static class QuotaEndpoints
{
    public static void MapQuotas(this IEndpointRouteBuilder api)
    {
        api.MapGet("/limits", async (HttpContext http, IMediator m, Caller caller) =>
        {
            var project = http.Request.Query.Text("tenant_id") is { } t && caller.Allows("os_compute_api:limits:other_project") ? t : caller.ProjectId;
            var q = await m.Send(new GetQuota(project));
            return NovaJson.Json(new
            {
                limits = new
                {
                    rate = Array.Empty<object>(),
                    absolute = new Dictionary<string, int>
                    {
                        ["maxTotalInstances"] = q.Limits.Instances,
                        ["maxTotalCores"] = q.Limits.Cores,
                        ["maxTotalRAMSize"] = q.Limits.RamMb,
                        ["maxServerMeta"] = q.Limits.MetadataItems,
                        ["maxImageMeta"] = q.Limits.MetadataItems,
                        ["maxPersonality"] = 5,
                        ["maxPersonalitySize"] = 10240,
                        ["maxTotalKeypairs"] = q.Limits.KeyPairs,
                        ["maxServerGroups"] = q.Limits.ServerGroups,
                        ["maxServerGroupMembers"] = q.Limits.ServerGroupMembers,
                        ["totalInstancesUsed"] = q.Usage?.Instances ?? 0,
                        ["totalCoresUsed"] = q.Usage?.Cores ?? 0,
                        ["totalRAMUsed"] = q.Usage?.RamMb ?? 0,
                        ["totalServerGroupsUsed"] = 0,
                    },
                },
            });
        });
        api.MapGet("/os-quota-sets/{project}", async (string project, IMediator m) =>
            NovaJson.Json(new { quota_set = QuotaSet(project, (await m.Send(new GetQuota(project))).Limits) }));
        api.MapGet("/os-quota-sets/{project}/defaults", async (string project, IMediator m) =>
            NovaJson.Json(new { quota_set = QuotaSet(project, (await m.Send(new GetQuota(project, Defaults: true))).Limits) }));
        api.MapGet("/os-quota-sets/{project}/detail", async (string project, IMediator m) =>
        {
            var q = await m.Send(new GetQuota(project));
            object Item(int limit, int used) => new { limit, in_use = used, reserved = 0 };
            return NovaJson.Json(new
            {
                quota_set = new Dictionary<string, object>
                {
                    ["id"] = project,
                    ["instances"] = Item(q.Limits.Instances, q.Usage?.Instances ?? 0),
                    ["cores"] = Item(q.Limits.Cores, q.Usage?.Cores ?? 0),
                    ["ram"] = Item(q.Limits.RamMb, q.Usage?.RamMb ?? 0),
                    ["metadata_items"] = Item(q.Limits.MetadataItems, 0),
                    ["key_pairs"] = Item(q.Limits.KeyPairs, 0),
                    ["server_groups"] = Item(q.Limits.ServerGroups, 0),
                    ["server_group_members"] = Item(q.Limits.ServerGroupMembers, 0),
                },
            });
        });
        api.MapPut("/os-quota-sets/{project}", async (string project, HttpContext http, IMediator m) =>
        {
            var set = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "quota_set");
            await m.Send(new UpdateQuotaSet(project, NovaJson.OptionalInt(set, "instances"), NovaJson.OptionalInt(set, "cores"),
                NovaJson.OptionalInt(set, "ram"), NovaJson.OptionalInt(set, "metadata_items"), NovaJson.OptionalInt(set, "key_pairs"),
                NovaJson.OptionalInt(set, "server_groups"), NovaJson.OptionalInt(set, "server_group_members")));
            var limits = (await m.Send(new GetQuota(project))).Limits;
            var body = QuotaSet(project, limits);
            body.Remove("id");
            return NovaJson.Json(new { quota_set = body });
        }).WithRequestSchema("quota-sets/update");
        api.MapDelete("/os-quota-sets/{project}", async (string project, IMediator m) =>
        {
            await m.Send(new ResetQuotaSet(project));
            return Results.StatusCode(202);
        });
    }

    private static Dictionary<string, object> QuotaSet(string project, QuotaLimits l) => new()
    {
        ["id"] = project,
        ["instances"] = l.Instances,
        ["cores"] = l.Cores,
        ["ram"] = l.RamMb,
        ["metadata_items"] = l.MetadataItems,
        ["key_pairs"] = l.KeyPairs,
        ["server_groups"] = l.ServerGroups,
        ["server_group_members"] = l.ServerGroupMembers,
        ["injected_files"] = 5,
        ["injected_file_content_bytes"] = 10240,
        ["injected_file_path_bytes"] = 255,
    };
}
