using Nova.Commands.Requests;

namespace Nova.Api.Identity;

/// <summary>
/// Which <see cref="NovaPolicy"/> rule guards each REST route, checked after routing and before the endpoint runs,
/// against the caller's own project (or the <c>{project}</c> in the path). The checks that need the target itself
/// (a server's owner: 404 for another project's) stay with the handlers, through the same rules.
/// A route under /v2.1 or /image that is not in this table is refused: a new route must say who may call it.
/// </summary>
public static class RoutePolicies
{
    /// <summary>
    /// Decided by the handler: per action for the action routes, and for a server after looking it up, against
    /// its project (as in Nova, another project's server is 404 whatever the caller's role, never a 403 that
    /// would tell it exists).
    /// </summary>
    public const string ByHandler = "";

    public static readonly IReadOnlyDictionary<string, string> Rules = new Dictionary<string, string>
    {
        ["GET /v2.1/servers"] = "os_compute_api:servers:index",
        ["GET /v2.1/servers/detail"] = "os_compute_api:servers:detail",
        ["GET /v2.1/servers/{id}"] = "os_compute_api:servers:show",
        ["POST /v2.1/servers"] = "os_compute_api:servers:create",
        ["DELETE /v2.1/servers/{id}"] = ByHandler, // os_compute_api:servers:delete
        ["POST /v2.1/servers/{id}/action"] = ByHandler,
        // Update, metadata and tags: the server first (404), then os_compute_api:servers:update,
        // os_compute_api:server-metadata:* or os_compute_api:os-server-tags:* against its project.
        ["PUT /v2.1/servers/{id}"] = ByHandler,
        ["GET /v2.1/servers/{id}/metadata"] = ByHandler,
        ["GET /v2.1/servers/{id}/metadata/{key}"] = ByHandler,
        ["POST /v2.1/servers/{id}/metadata"] = ByHandler,
        ["PUT /v2.1/servers/{id}/metadata"] = ByHandler,
        ["PUT /v2.1/servers/{id}/metadata/{key}"] = ByHandler,
        ["DELETE /v2.1/servers/{id}/metadata/{key}"] = ByHandler,
        ["GET /v2.1/servers/{id}/tags"] = ByHandler,
        ["GET /v2.1/servers/{id}/tags/{tag}"] = ByHandler,
        ["PUT /v2.1/servers/{id}/tags"] = ByHandler,
        ["DELETE /v2.1/servers/{id}/tags"] = ByHandler,
        ["PUT /v2.1/servers/{id}/tags/{tag}"] = ByHandler,
        ["DELETE /v2.1/servers/{id}/tags/{tag}"] = ByHandler,
        // The server first (404), then os_compute_api:ips:index / :show against its project.
        ["GET /v2.1/servers/{id}/ips"] = ByHandler,
        ["GET /v2.1/servers/{id}/ips/{network}"] = ByHandler,
        ["GET /v2.1/servers/{id}/os-instance-actions"] = "os_compute_api:os-instance-actions:list",
        ["GET /v2.1/servers/{id}/os-instance-actions/{requestId}"] = "os_compute_api:os-instance-actions:show",
        ["GET /v2.1/servers/{id}/events"] = "os_compute_api:servers:events:list",
        ["GET /v2.1/events"] = "os_compute_api:events:index",
        ["GET /v2.1/events/export"] = "os_compute_api:events:export",
        ["GET /v2.1/events/verify"] = "os_compute_api:events:verify",
        // Nova checks no rule on a version document: any authenticated caller.
        ["GET /v2.1/versions/{id}"] = ByHandler,
        ["GET /v2.1/extensions"] = "os_compute_api:extensions",
        ["GET /v2.1/extensions/{alias}"] = "os_compute_api:extensions",
        ["GET /v2.1/flavors"] = "os_compute_api:flavors",
        ["GET /v2.1/flavors/detail"] = "os_compute_api:flavors",
        ["GET /v2.1/flavors/{id}"] = "os_compute_api:flavors",
        ["GET /v2.1/flavors/{id}/os-extra_specs"] = "os_compute_api:os-flavor-extra-specs:index",
        ["GET /v2.1/flavors/{id}/os-extra_specs/{key}"] = "os_compute_api:os-flavor-extra-specs:show",
        ["POST /v2.1/flavors/{id}/os-extra_specs"] = "os_compute_api:os-flavor-extra-specs:create",
        ["PUT /v2.1/flavors/{id}/os-extra_specs/{key}"] = "os_compute_api:os-flavor-extra-specs:update",
        ["DELETE /v2.1/flavors/{id}/os-extra_specs/{key}"] = "os_compute_api:os-flavor-extra-specs:delete",
        ["GET /v2.1/flavors/{id}/os-flavor-access"] = "os_compute_api:os-flavor-access",
        ["POST /v2.1/flavors"] = "os_compute_api:os-flavor-manage:create",
        // Below 2.55 the update route does not exist (404 for anyone); the handler asks os-flavor-manage:update.
        ["PUT /v2.1/flavors/{id}"] = ByHandler,
        ["DELETE /v2.1/flavors/{id}"] = "os_compute_api:os-flavor-manage:delete",
        // addTenantAccess / removeTenantAccess: the handler asks os-flavor-access:{add,remove}_tenant_access after the body.
        ["POST /v2.1/flavors/{id}/action"] = ByHandler,
        ["GET /v2.1/images"] = "os_compute_api:images",
        ["GET /v2.1/images/detail"] = "os_compute_api:images",
        ["GET /v2.1/images/{id}"] = "os_compute_api:images",
        // Nova hands these to Glance with the caller's token: Glance's rules decide, as at /image.
        ["DELETE /v2.1/images/{id}"] = "delete_image",
        ["GET /v2.1/images/{id}/metadata"] = "os_compute_api:images",
        ["GET /v2.1/images/{id}/metadata/{key}"] = "os_compute_api:images",
        ["POST /v2.1/images/{id}/metadata"] = "modify_image",
        ["PUT /v2.1/images/{id}/metadata"] = "modify_image",
        ["PUT /v2.1/images/{id}/metadata/{key}"] = "modify_image",
        ["DELETE /v2.1/images/{id}/metadata/{key}"] = "modify_image",
        ["GET /v2.1/limits"] = "os_compute_api:limits",
        ["GET /v2.1/os-quota-sets/{project}"] = "os_compute_api:os-quota-sets:show",
        ["GET /v2.1/os-quota-sets/{project}/defaults"] = "os_compute_api:os-quota-sets:defaults",
        ["GET /v2.1/os-quota-sets/{project}/detail"] = "os_compute_api:os-quota-sets:detail",
        ["PUT /v2.1/os-quota-sets/{project}"] = "os_compute_api:os-quota-sets:update",
        ["DELETE /v2.1/os-quota-sets/{project}"] = "os_compute_api:os-quota-sets:delete",
        ["GET /v2.1/os-quota-class-sets/{id}"] = "os_compute_api:os-quota-class-sets:show",
        ["PUT /v2.1/os-quota-class-sets/{id}"] = "os_compute_api:os-quota-class-sets:update",
        ["GET /v2.1/os-simple-tenant-usage"] = "os_compute_api:os-simple-tenant-usage:list",
        ["GET /v2.1/os-simple-tenant-usage/{project}"] = "os_compute_api:os-simple-tenant-usage:show",
        ["GET /v2.1/os-instance_usage_audit_log"] = "os_compute_api:os-instance-usage-audit-log:list",
        ["GET /v2.1/os-instance_usage_audit_log/{before}"] = "os_compute_api:os-instance-usage-audit-log:show",
        ["GET /v2.1/os-server-groups"] = "os_compute_api:os-server-groups:index",
        ["GET /v2.1/os-server-groups/{id}"] = "os_compute_api:os-server-groups:show",
        ["POST /v2.1/os-server-groups"] = "os_compute_api:os-server-groups:create",
        ["DELETE /v2.1/os-server-groups/{id}"] = "os_compute_api:os-server-groups:delete",
        // Key pairs: the rule's target is the user named by user_id (2.10, admins), checked by the handler.
        ["GET /v2.1/os-keypairs"] = ByHandler, // os_compute_api:os-keypairs:index
        ["GET /v2.1/os-keypairs/{name}"] = ByHandler, // os_compute_api:os-keypairs:show
        ["POST /v2.1/os-keypairs"] = ByHandler, // os_compute_api:os-keypairs:create
        ["DELETE /v2.1/os-keypairs/{name}"] = ByHandler, // os_compute_api:os-keypairs:delete
        ["GET /v2.1/os-services"] = "os_compute_api:os-services:list",
        ["PUT /v2.1/os-services/{id}"] = "os_compute_api:os-services:update",
        ["DELETE /v2.1/os-services/{id}"] = "os_compute_api:os-services:delete",
        ["GET /v2.1/os-hypervisors"] = "os_compute_api:os-hypervisors:list",
        ["GET /v2.1/os-hypervisors/detail"] = "os_compute_api:os-hypervisors:list-detail",
        ["GET /v2.1/os-hypervisors/statistics"] = "os_compute_api:os-hypervisors:statistics",
        ["GET /v2.1/os-hypervisors/{id}"] = "os_compute_api:os-hypervisors:show",
        ["GET /v2.1/os-hypervisors/{id}/uptime"] = "os_compute_api:os-hypervisors:uptime",
        ["GET /v2.1/os-hypervisors/{pattern}/search"] = "os_compute_api:os-hypervisors:search",
        ["GET /v2.1/os-hypervisors/{pattern}/servers"] = "os_compute_api:os-hypervisors:servers",
        ["GET /v2.1/os-migrations"] = "os_compute_api:os-migrations:index",
        // The server first (404 for one the caller cannot see), then the rule against its project, as in Nova.
        ["GET /v2.1/servers/{id}/migrations"] = ByHandler, // os_compute_api:servers:migrations:index
        ["GET /v2.1/servers/{id}/migrations/{migrationId}"] = ByHandler, // os_compute_api:servers:migrations:show
        ["GET /v2.1/os-aggregates"] = "os_compute_api:os-aggregates:index",
        ["GET /v2.1/os-aggregates/{id}"] = "os_compute_api:os-aggregates:show",
        ["POST /v2.1/os-aggregates"] = "os_compute_api:os-aggregates:create",
        ["PUT /v2.1/os-aggregates/{id}"] = "os_compute_api:os-aggregates:update",
        ["DELETE /v2.1/os-aggregates/{id}"] = "os_compute_api:os-aggregates:delete",
        // add_host, remove_host, set_metadata: each its own rule, checked by the handler.
        ["POST /v2.1/os-aggregates/{id}/action"] = ByHandler,
        ["GET /v2.1/os-availability-zone"] = "os_compute_api:os-availability-zone:list",
        ["GET /v2.1/os-availability-zone/detail"] = "os_compute_api:os-availability-zone:detail",
        ["GET /image/v2/images"] = "get_images",
        ["GET /image/v2/images/{id}"] = "get_image",
        ["POST /image/v2/images"] = "add_image",
        ["DELETE /image/v2/images/{id}"] = "delete_image",
        ["PUT /image/v2/images/{id}/file"] = "upload_image",
        ["GET /image/v2/images/{id}/file"] = "download_image",
    };

    /// <summary>The route's key in <see cref="Rules"/> (method and route template); null for routes outside the compute and image APIs.</summary>
    public static string? KeyOf(Endpoint endpoint)
    {
        if (endpoint is not RouteEndpoint route || route.RoutePattern.RawText is not { } template) return null;
        if (!template.StartsWith("/v2.1/", StringComparison.Ordinal) && !template.StartsWith("/image/v2/", StringComparison.Ordinal)) return null;
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault();
        return method is null ? null : $"{method} {route.RoutePattern.RawText}";
    }
}

/// <summary>Applies <see cref="RoutePolicies"/> to the routed endpoint (403 in Nova's shape).</summary>
public sealed class RoutePolicyMiddleware(RequestDelegate next)
{
    public Task Invoke(HttpContext http, Caller caller)
    {
        if (http.GetEndpoint() is not { } endpoint || RoutePolicies.KeyOf(endpoint) is not { } key) return next(http);
        if (!RoutePolicies.Rules.TryGetValue(key, out var rule))
            throw new Forbidden($"No policy rule covers {key}; refusing by default.");
        if (rule != RoutePolicies.ByHandler) caller.Authorize(rule, http.GetRouteValue("project") as string);
        return next(http);
    }
}
