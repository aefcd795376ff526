using Nova.Commands.Policy;

namespace Nova.Commands.Requests;

/// <summary>Who a rule lets through by default: Nova's <c>base.py</c> check strings since the secure-RBAC defaults.</summary>
public static class PolicyDefault
{
    /// <summary>Any authenticated caller.</summary>
    public const string Anyone = "@";
    /// <summary><c>PROJECT_READER_OR_ADMIN</c>: the reader role on the target's project, or admin.</summary>
    public const string ProjectReaderOrAdmin = "rule:project_reader_or_admin";
    /// <summary><c>PROJECT_MEMBER_OR_ADMIN</c>: the member role on the target's project, or admin.</summary>
    public const string ProjectMemberOrAdmin = "rule:project_member_or_admin";
    /// <summary><c>ADMIN</c>: the admin role.</summary>
    public const string Admin = "rule:context_is_admin";
    /// <summary>Nova's key pair rules: the admin, or the user the key pair belongs to.</summary>
    public const string AdminOrOwnerUser = "(rule:context_is_admin) or user_id:%(user_id)s";
}

/// <summary>
/// Nova's default policy, in one table: every decision about what a caller may do goes through
/// <see cref="Allows"/> or <see cref="Authorize"/> with one of these rule names, evaluated by the policy engine
/// (<see cref="PolicyRules"/>) with the operator's <c>policy.yaml</c> laid over these defaults. The names are
/// Nova's (and Glance's for the image registry); rules only this control plane has are named like them.
/// </summary>
public static class NovaPolicy
{
    public const string MemberRole = "member";
    public const string ReaderRole = "reader";

    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        // Nova's base rules (nova/policies/base.py), for the rules below and for operators' files.
        ["context_is_admin"] = "role:admin",
        ["admin_api"] = "is_admin:True",
        ["admin_or_owner"] = "is_admin:True or project_id:%(project_id)s",
        ["project_member_api"] = "role:member and project_id:%(project_id)s",
        ["project_reader_api"] = "role:reader and project_id:%(project_id)s",
        ["project_member_or_admin"] = "rule:project_member_api or rule:context_is_admin",
        ["project_reader_or_admin"] = "rule:project_reader_api or rule:context_is_admin",
        // Servers
        ["os_compute_api:servers:index"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:servers:detail"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:servers:index:get_all_tenants"] = PolicyDefault.Admin,
        ["os_compute_api:servers:detail:get_all_tenants"] = PolicyDefault.Admin,
        ["os_compute_api:servers:allow_all_filters"] = PolicyDefault.Admin,
        ["os_compute_api:servers:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-extended-server-attributes"] = PolicyDefault.Admin,
        ["os_compute_api:servers:show:host_status"] = PolicyDefault.Admin,
        ["os_compute_api:servers:show:host_status:unknown-only"] = PolicyDefault.Admin,
        ["os_compute_api:servers:create"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:delete"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:start"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:stop"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:reboot"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:update"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:server-metadata:index"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:server-metadata:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:server-metadata:create"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:server-metadata:update"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:server-metadata:update_all"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:server-metadata:delete"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:ips:index"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:ips:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-server-tags:index"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-server-tags:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-server-tags:update"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-server-tags:update_all"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-server-tags:delete"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-server-tags:delete_all"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-lock-server:lock"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-lock-server:unlock"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-lock-server:unlock:unlock_override"] = PolicyDefault.Admin,
        ["os_compute_api:os-admin-actions:reset_state"] = PolicyDefault.Admin,
        ["os_compute_api:os-console-output"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-pause-server:pause"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-pause-server:unpause"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-suspend-server:suspend"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-suspend-server:resume"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-rescue"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-unrescue"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-shelve:shelve"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-shelve:shelve_offload"] = PolicyDefault.Admin,
        ["os_compute_api:os-shelve:unshelve"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:rebuild"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:create_image"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-create-backup"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:resize"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:confirm_resize"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:servers:revert_resize"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-migrate-server:migrate"] = PolicyDefault.Admin,
        ["os_compute_api:os-migrate-server:migrate:host"] = PolicyDefault.Admin,
        // Actions this control plane does not implement yet answer 501, after the policy check.
        ["os_compute_api:servers:unimplemented_action"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-instance-actions:list"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-instance-actions:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-instance-actions:events:details"] = PolicyDefault.Admin,
        // The complete event history of a server (this control plane's audit API).
        ["os_compute_api:servers:events:list"] = PolicyDefault.ProjectReaderOrAdmin,
        // The global event feed, its export and the hash-chain audit: the whole cloud's history, admins only.
        ["os_compute_api:events:index"] = PolicyDefault.Admin,
        ["os_compute_api:events:export"] = PolicyDefault.Admin,
        ["os_compute_api:events:verify"] = PolicyDefault.Admin,
        // Flavors, images (the compute API's proxy), limits, zones
        ["os_compute_api:flavors"] = PolicyDefault.Anyone,
        ["os_compute_api:os-flavor-extra-specs:index"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-flavor-extra-specs:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-flavor-extra-specs:create"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-extra-specs:update"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-extra-specs:delete"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-access"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-access:add_tenant_access"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-access:remove_tenant_access"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-manage:create"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-manage:update"] = PolicyDefault.Admin,
        ["os_compute_api:os-flavor-manage:delete"] = PolicyDefault.Admin,
        ["os_compute_api:images"] = PolicyDefault.Anyone,
        ["os_compute_api:extensions"] = PolicyDefault.Anyone,
        ["os_compute_api:limits"] = PolicyDefault.Anyone,
        ["os_compute_api:limits:other_project"] = PolicyDefault.Admin,
        ["os_compute_api:os-availability-zone:list"] = PolicyDefault.Anyone,
        ["os_compute_api:os-availability-zone:detail"] = PolicyDefault.Admin,
        // Quotas
        ["os_compute_api:os-quota-sets:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-quota-sets:detail"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-quota-sets:defaults"] = PolicyDefault.Anyone,
        ["os_compute_api:os-quota-sets:update"] = PolicyDefault.Admin,
        ["os_compute_api:os-quota-sets:delete"] = PolicyDefault.Admin,
        ["os_compute_api:os-quota-class-sets:show"] = PolicyDefault.Admin,
        ["os_compute_api:os-quota-class-sets:update"] = PolicyDefault.Admin,
        // Usage
        ["os_compute_api:os-simple-tenant-usage:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-simple-tenant-usage:list"] = PolicyDefault.Admin,
        ["os_compute_api:os-instance-usage-audit-log:list"] = PolicyDefault.Admin,
        ["os_compute_api:os-instance-usage-audit-log:show"] = PolicyDefault.Admin,
        // Server groups
        ["os_compute_api:os-server-groups:index"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-server-groups:index:all_projects"] = PolicyDefault.Admin,
        ["os_compute_api:os-server-groups:show"] = PolicyDefault.ProjectReaderOrAdmin,
        ["os_compute_api:os-server-groups:create"] = PolicyDefault.ProjectMemberOrAdmin,
        ["os_compute_api:os-server-groups:delete"] = PolicyDefault.ProjectMemberOrAdmin,
        // Key pairs: a user's, whatever the project
        ["os_compute_api:os-keypairs:index"] = PolicyDefault.AdminOrOwnerUser,
        ["os_compute_api:os-keypairs:create"] = PolicyDefault.AdminOrOwnerUser,
        ["os_compute_api:os-keypairs:show"] = PolicyDefault.AdminOrOwnerUser,
        ["os_compute_api:os-keypairs:delete"] = PolicyDefault.AdminOrOwnerUser,
        // Operators
        ["os_compute_api:os-services:list"] = PolicyDefault.Admin,
        ["os_compute_api:os-services:update"] = PolicyDefault.Admin,
        ["os_compute_api:os-services:delete"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:list"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:list-detail"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:statistics"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:show"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:uptime"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:search"] = PolicyDefault.Admin,
        ["os_compute_api:os-hypervisors:servers"] = PolicyDefault.Admin,
        // Migrations. Nova's newest defaults let a project manager list without host fields; this control plane has no
        // manager role, so the listing stays with admins, as Nova's defaults had it before the manager role.
        ["os_compute_api:os-migrations:index"] = PolicyDefault.Admin,
        ["os_compute_api:os-migrations:index:all_projects"] = PolicyDefault.Admin,
        ["os_compute_api:os-migrations:index:host"] = PolicyDefault.Admin,
        ["os_compute_api:servers:migrations:index"] = PolicyDefault.Admin,
        ["os_compute_api:servers:migrations:index:host"] = PolicyDefault.Admin,
        ["os_compute_api:servers:migrations:show"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:index"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:show"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:create"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:update"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:delete"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:add_host"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:remove_host"] = PolicyDefault.Admin,
        ["os_compute_api:os-aggregates:set_metadata"] = PolicyDefault.Admin,
        // The image registry (Glance's names and defaults)
        ["get_images"] = PolicyDefault.ProjectReaderOrAdmin,
        ["get_image"] = PolicyDefault.ProjectReaderOrAdmin,
        ["download_image"] = PolicyDefault.ProjectReaderOrAdmin,
        ["add_image"] = PolicyDefault.ProjectMemberOrAdmin,
        ["upload_image"] = PolicyDefault.ProjectMemberOrAdmin,
        ["delete_image"] = PolicyDefault.ProjectMemberOrAdmin,
        ["modify_image"] = PolicyDefault.ProjectMemberOrAdmin,
        ["publicize_image"] = PolicyDefault.Admin,
    };

    /// <summary>
    /// Whether <paramref name="caller"/> passes <paramref name="rule"/> for a target owned by
    /// <paramref name="targetProject"/> (the caller's own project when null).
    /// </summary>
    public static bool Allows(this Caller caller, string rule, string? targetProject = null) =>
        caller.Policy.Allows(rule, PolicyCredentials.Of(caller.UserId, caller.ProjectId, caller.DomainId, caller.Roles),
            new Dictionary<string, string> { ["project_id"] = targetProject ?? caller.ProjectId, ["user_id"] = caller.UserId });

    /// <summary>Whether <paramref name="caller"/> passes <paramref name="rule"/> for a target owned by the user <paramref name="targetUser"/> (key pairs).</summary>
    public static bool AllowsForUser(this Caller caller, string rule, string targetUser) =>
        caller.Policy.Allows(rule, PolicyCredentials.Of(caller.UserId, caller.ProjectId, caller.DomainId, caller.Roles),
            new Dictionary<string, string> { ["project_id"] = caller.ProjectId, ["user_id"] = targetUser });

    /// <summary>Refuses with Nova's 403 message unless <see cref="AllowsForUser"/>.</summary>
    public static void AuthorizeForUser(this Caller caller, string rule, string targetUser)
    {
        if (!caller.AllowsForUser(rule, targetUser)) throw new Forbidden($"Policy doesn't allow {rule} to be performed.");
    }

    /// <summary>Refuses with Nova's 403 message unless <see cref="Allows"/>.</summary>
    public static void Authorize(this Caller caller, string rule, string? targetProject = null)
    {
        if (!caller.Allows(rule, targetProject)) throw new Forbidden($"Policy doesn't allow {rule} to be performed.");
    }
}
