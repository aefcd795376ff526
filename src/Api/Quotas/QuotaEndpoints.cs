using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain.Quotas;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Quotas;

/// <summary>/limits, /os-quota-sets and /os-quota-class-sets: limits per project and class, usage counted from the event store.</summary>
public static class QuotaEndpoints
{
    public static void MapQuotas(this IEndpointRouteBuilder api)
    {
        api.MapGet("/limits", Limits);
        api.MapGet("/os-quota-sets/{project}", async (string project, HttpContext http, IMediator m) =>
            NovaJson.Json(new { quota_set = QuotaBodies.Limits(project, (await m.Send(new GetQuota(project))).Limits, ShownIn(http)) }));
        api.MapGet("/os-quota-sets/{project}/defaults", async (string project, HttpContext http, IMediator m) =>
            NovaJson.Json(new { quota_set = QuotaBodies.Limits(project, (await m.Send(new GetQuota(project, Defaults: true))).Limits, ShownIn(http)) }));
        api.MapGet("/os-quota-sets/{project}/detail", async (string project, HttpContext http, IMediator m) =>
        {
            var q = await m.Send(new GetQuota(project));
            var body = new Dictionary<string, object> { ["id"] = project };
            foreach (var r in ShownIn(http)) body[r] = new { limit = q.Limits[r], in_use = InUse(q.Usage, r), reserved = 0 };
            return NovaJson.Json(new { quota_set = body });
        });
        api.MapPut("/os-quota-sets/{project}", async (string project, HttpContext http, IMediator m) =>
        {
            var shown = ShownIn(http);
            var body = await NovaJson.ReadObject(http.Request);
            var changes = QuotaBodies.Changes(body, "quota_set", shown, "force");
            // Usage is never below a limit's floor here: force changes nothing but must be a boolean.
            _ = NovaJson.OptionalBool(body["quota_set"]!.AsObject(), "force");
            await m.Send(new UpdateQuotaSet(project, changes));
            return NovaJson.Json(new { quota_set = QuotaBodies.Limits(null, (await m.Send(new GetQuota(project))).Limits, shown) });
        }).WithRequestSchema("quota-sets/update");
        api.MapDelete("/os-quota-sets/{project}", async (string project, IMediator m) =>
        {
            await m.Send(new ResetQuotaSet(project));
            return Results.StatusCode(202);
        });

        api.MapGet("/os-quota-class-sets/{id}", async (string id, HttpContext http, IMediator m) =>
            NovaJson.Json(new { quota_class_set = QuotaBodies.Limits(id, await m.Send(new GetQuotaClass(id)), ClassShownIn(http)) }));
        api.MapPut("/os-quota-class-sets/{id}", async (string id, HttpContext http, IMediator m) =>
        {
            var shown = ClassShownIn(http);
            var changes = QuotaBodies.Changes(await NovaJson.ReadObject(http.Request), "quota_class_set",
                QuotaBodies.SettableInQuotaClass(MicroversionMiddleware.Of(http)));
            var record = await m.Send(new UpdateQuotaClassSet(id, changes));
            // Nova answers the class's values without its id.
            return NovaJson.Json(new { quota_class_set = QuotaBodies.Limits(null, await m.Send(new GetQuotaClass(record.Id)), shown) });
        });
    }

    private static IReadOnlyList<string> ShownIn(HttpContext http) => QuotaBodies.OfQuotaSet(MicroversionMiddleware.Of(http));

    private static IReadOnlyList<string> ClassShownIn(HttpContext http) => QuotaBodies.OfQuotaClass(MicroversionMiddleware.Of(http));

    /// <summary>What this control plane counts; the rest (key pairs per user, server groups, network) reads 0, as before.</summary>
    private static int InUse(ProjectUsage? usage, string resource) => resource switch
    {
        QuotaResources.Instances => usage?.Instances ?? 0,
        QuotaResources.Cores => usage?.Cores ?? 0,
        QuotaResources.Ram => usage?.RamMb ?? 0,
        _ => 0,
    };

    /// <summary>
    /// Nova's limits view: each resource's absolute names, then the used counts. 2.36 drops the network limits and
    /// their counts, 2.39 maxImageMeta, 2.57 the personality limits.
    /// </summary>
    private static async Task<IResult> Limits(HttpContext http, IMediator m, Caller caller)
    {
        var version = MicroversionMiddleware.Of(http);
        var project = http.Request.Query.Text("tenant_id") is { } t && caller.Allows("os_compute_api:limits:other_project") ? t : caller.ProjectId;
        var q = await m.Send(new GetQuota(project));
        var l = q.Limits;
        var absolute = new Dictionary<string, int>
        {
            ["maxTotalRAMSize"] = l.RamMb,
            ["maxTotalInstances"] = l.Instances,
            ["maxTotalCores"] = l.Cores,
            ["maxTotalKeypairs"] = l.KeyPairs,
            ["maxServerMeta"] = l.MetadataItems,
        };
        if (!version.AtLeast(39)) absolute["maxImageMeta"] = l.MetadataItems;
        if (!version.AtLeast(57))
        {
            absolute["maxPersonality"] = l.InjectedFiles;
            absolute["maxPersonalitySize"] = l.InjectedFileContentBytes;
        }
        if (!version.AtLeast(36))
        {
            absolute["maxTotalFloatingIps"] = l.FloatingIps;
            absolute["maxSecurityGroups"] = l.SecurityGroups;
            absolute["maxSecurityGroupRules"] = l.SecurityGroupRules;
        }
        absolute["maxServerGroups"] = l.ServerGroups;
        absolute["maxServerGroupMembers"] = l.ServerGroupMembers;
        absolute["totalRAMUsed"] = q.Usage?.RamMb ?? 0;
        absolute["totalCoresUsed"] = q.Usage?.Cores ?? 0;
        absolute["totalInstancesUsed"] = q.Usage?.Instances ?? 0;
        if (!version.AtLeast(36))
        {
            absolute["totalFloatingIpsUsed"] = 0;
            absolute["totalSecurityGroupsUsed"] = 0;
        }
        absolute["totalServerGroupsUsed"] = 0;
        return NovaJson.Json(new { limits = new { rate = Array.Empty<object>(), absolute } });
    }
}
