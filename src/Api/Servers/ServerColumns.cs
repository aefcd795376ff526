namespace Nova.Api.Servers;

/// <summary>
/// The Nova instance columns GET /servers filters and sorts by, as SQL over the <c>ServerView</c> document of a table
/// alias (the list's own row is <c>d</c>, Marten's alias; the marker's row another). Nova's names are the keys.
/// </summary>
public static class ServerColumns
{
    /// <summary>
    /// The text a filter compares: exactly (the project, user, image, flavor, host, vm and task states) or as a regular
    /// expression (the rest, as Nova's database does). Null where the server has no value, as Nova's NULL columns, which
    /// then match nothing. Times read as MySQL prints a DATETIME (Nova's reference database).
    /// </summary>
    public static string? Text(string column, string alias = "d") =>
        Texts.TryGetValue(column, out var text) ? text(alias) : null;

    /// <summary>
    /// The value a sort orders by, never null (a missing value sorts as the empty or least value) so that a page's
    /// marker is a plain comparison; null for a column every server has the same value in (it orders nothing).
    /// </summary>
    public static string? Sort(string column, string alias = "d") =>
        Sorts.TryGetValue(column, out var sort) ? sort?.Invoke(alias) : null;

    private static string Field(string a, string field) => $"({a}.data ->> '{field}')";
    private static string State(string a, string field) => $"({a}.data -> 'State' ->> '{field}')";
    private static string Time(string a, string field) => $"({a}.data ->> '{field}')::timestamptz";
    private static string AsMySqlText(string time) => $"to_char(({time}) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')";

    // The zone the server shows (ServerJson): its host's, else the one it asked for, else "nova" once placed.
    private static string Zone(string a) =>
        $"coalesce({State(a, "HostZone")}, {State(a, "AvailabilityZone")}, case when {Field(a, "Host")} is null then '' else 'nova' end)";

    // The progress the server shows (ServerJson): 0 while building, 100 when active, none otherwise.
    private static string Progress(string a) => $"(case {Field(a, "Status")} when 'ACTIVE' then 100 when 'BUILD' then 0 end)";

    private static readonly Dictionary<string, Func<string, string>> Texts = new()
    {
        ["project_id"] = a => $"{a}.project_id",
        ["user_id"] = a => Field(a, "UserId"),
        ["image_ref"] = a => Field(a, "ImageId"),
        ["instance_type_id"] = a => $"({a}.data -> 'Flavor' ->> 'Id')",
        ["host"] = a => Field(a, "Host"),
        ["node"] = a => Field(a, "Host"),
        ["vm_state"] = a => Field(a, "VmState"),
        ["task_state"] = a => Field(a, "TaskState"),
        ["display_name"] = a => Field(a, "Name"),
        ["display_description"] = a => State(a, "Description"),
        ["reservation_id"] = a => Field(a, "ReservationId"),
        ["hostname"] = a => Field(a, "Hostname"),
        ["key_name"] = a => State(a, "KeyName"),
        ["power_state"] = a => Field(a, "PowerState"),
        ["launch_index"] = a => Field(a, "LaunchIndex"),
        ["launched_at"] = a => AsMySqlText(Time(a, "LaunchedAt")),
        ["terminated_at"] = a => AsMySqlText(Time(a, "TerminatedAt")),
        ["created_at"] = a => AsMySqlText($"{a}.created_at"),
        ["availability_zone"] = Zone,
        ["access_ip_v4"] = a => State(a, "AccessIPv4"),
        ["access_ip_v6"] = a => State(a, "AccessIPv6"),
        ["progress"] = a => $"{Progress(a)}::text",
        ["locked_by"] = a => Field(a, "LockedBy"),
        // What every server here has: no config drive, no kernel or ramdisk image, vda, manual disk config.
        ["config_drive"] = _ => "''::text",
        ["kernel_id"] = _ => "''::text",
        ["ramdisk_id"] = _ => "''::text",
        ["root_device_name"] = _ => "'/dev/vda'::text",
        ["auto_disk_config"] = _ => "'0'::text",
    };

    private static readonly Dictionary<string, Func<string, string>?> Sorts = new()
    {
        ["access_ip_v4"] = a => $"coalesce({State(a, "AccessIPv4")}, '')",
        ["access_ip_v6"] = a => $"coalesce({State(a, "AccessIPv6")}, '')",
        ["availability_zone"] = Zone,
        // The duplicated column: the (project_id, created_at, id) index serves the default order.
        ["created_at"] = a => $"{a}.created_at",
        ["display_description"] = a => $"coalesce({State(a, "Description")}, '')",
        // The expression of the Name index.
        ["display_name"] = a => $"{a}.data ->> 'Name'",
        ["host"] = a => $"coalesce({Field(a, "Host")}, '')",
        ["node"] = a => $"coalesce({Field(a, "Host")}, '')",
        ["hostname"] = a => $"coalesce({Field(a, "Hostname")}, '')",
        ["image_ref"] = a => $"coalesce({Field(a, "ImageId")}, '')",
        ["instance_type_id"] = a => $"coalesce(({a}.data -> 'Flavor' ->> 'Id'), '')",
        ["key_name"] = a => $"coalesce({State(a, "KeyName")}, '')",
        ["launch_index"] = a => $"coalesce({Field(a, "LaunchIndex")}::int, 0)",
        ["launched_at"] = a => $"coalesce({Time(a, "LaunchedAt")}, '-infinity'::timestamptz)",
        ["locked"] = a => $"coalesce({Field(a, "Locked")}::boolean, false)",
        ["locked_by"] = a => $"coalesce({Field(a, "LockedBy")}, '')",
        ["power_state"] = a => $"coalesce({Field(a, "PowerState")}::int, 0)",
        ["progress"] = a => $"coalesce({Progress(a)}, 0)",
        ["project_id"] = a => $"{a}.project_id",
        ["task_state"] = a => $"coalesce({Field(a, "TaskState")}, '')",
        ["terminated_at"] = a => $"coalesce({Time(a, "TerminatedAt")}, '-infinity'::timestamptz)",
        ["updated_at"] = a => $"{a}.updated_at",
        ["user_id"] = a => $"coalesce({Field(a, "UserId")}, '')",
        // Nova's last tie-break is its integer id; ours is the uuid.
        ["uuid"] = a => $"{a}.id",
        ["vm_state"] = a => $"coalesce({Field(a, "VmState")}, '')",
        ["auto_disk_config"] = null,
        ["config_drive"] = null,
        ["kernel_id"] = null,
        ["ramdisk_id"] = null,
        ["root_device_name"] = null,
    };
}
