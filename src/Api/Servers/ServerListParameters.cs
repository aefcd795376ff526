using System.Globalization;
using System.Text.RegularExpressions;
using Nova.Api.Http;
using Nova.Commands.Requests;

namespace Nova.Api.Servers;

/// <summary>Who is listing: Nova's <c>context.is_admin</c> (sort by host, list deleted servers) and the <c>allow_all_filters</c> rule.</summary>
public sealed record ServerListCaller(bool IsAdmin, bool AllowsAllFilters);

/// <summary>
/// GET /servers and /servers/detail query parameters read as Nova's <c>_get_servers</c> reads them: the microversion's
/// query schema first (unknown parameters ignored until 2.75, refused from then), then the filters this caller may use
/// (every one with <c>allow_all_filters</c>; otherwise the members' list of the microversion, the rest dropped without a
/// word), then the status, the time window, deleted, all_tenants, locked and the sort.
/// </summary>
public static partial class ServerListParameters
{
    public const int MaxPatternLength = 1024;

    // nova/api/openstack/compute/schemas/servers.py index_query: regular-expression parameters, then the rest.
    private static readonly string[] RegexParameters =
    [
        "kernel_id", "ramdisk_id", "hostname", "key_name", "power_state", "node", "flavor", "reservation_id", "launched_at",
        "terminated_at", "availability_zone", "name", "display_name", "description", "display_description", "locked_by",
        "root_device_name", "config_drive", "access_ip_v4", "access_ip_v6", "auto_disk_config", "progress", "ip", "ip6", "created_at",
    ];
    private static readonly string[] TagParameters = ["tags", "tags-any", "not-tags", "not-tags-any"];
    private static readonly string[] JoinedTableParameters =
        ["block_device_mapping", "services", "metadata", "system_metadata", "info_cache", "security_groups", "pci_devices"];
    private static readonly string[] OtherParameters =
    [
        "user_id", "project_id", "tenant_id", "launch_index", "image_ref", "image", "vm_state", "task_state", "host", "uuid",
        "sort_key", "sort_dir", "all_tenants", "soft_deleted", "deleted", "status", "changes-since", "limit", "marker",
    ];
    private static readonly string[] PagingAndSorting = ["sort_key", "sort_dir", "limit", "marker"];

    // Valid sort keys: Nova's VALID_SORT_KEYS; the ignored ones were accepted before the schema and are dropped, not refused,
    // until 2.75 refuses them. locked is ignored before 2.73 and a sort key from then.
    private static readonly string[] SortKeys =
    [
        "access_ip_v4", "access_ip_v6", "auto_disk_config", "availability_zone", "config_drive", "created_at", "display_description",
        "display_name", "host", "hostname", "image_ref", "instance_type_id", "kernel_id", "key_name", "launch_index", "launched_at",
        "locked_by", "node", "power_state", "progress", "project_id", "ramdisk_id", "root_device_name", "task_state", "terminated_at",
        "updated_at", "user_id", "uuid", "vm_state",
    ];
    private static readonly string[] IgnoredSortKeys =
    [
        "architecture", "cell_name", "cleaned", "default_ephemeral_device", "default_swap_device", "deleted", "deleted_at",
        "disable_terminate", "ephemeral_gb", "ephemeral_key_uuid", "id", "key_data", "launched_on", "locked", "memory_mb", "os_type",
        "reservation_id", "root_gb", "shutdown_terminate", "user_data", "vcpus", "vm_mode",
    ];
    private static readonly string[] AdminSortKeys = ["host", "node"];

    /// <summary>The filters a caller without allow_all_filters may use at <paramref name="version"/> (Nova's _get_server_search_options).</summary>
    public static IReadOnlySet<string> MemberFilters(Microversion version)
    {
        var allowed = new HashSet<string> { "reservation_id", "name", "status", "image", "flavor", "ip", "changes-since", "all_tenants" };
        if (version.AtLeast(5)) allowed.Add("ip6");
        if (version.AtLeast(26)) allowed.UnionWith(TagParameters);
        if (version.AtLeast(66)) allowed.Add("changes-before");
        if (version.AtLeast(73)) allowed.Add("locked");
        if (version.AtLeast(83))
            allowed.UnionWith(["availability_zone", "config_drive", "key_name", "created_at", "launched_at", "terminated_at",
                "power_state", "task_state", "vm_state", "progress", "user_id"]);
        if (version.AtLeast(90)) allowed.Add("hostname");
        return allowed;
    }

    public static ServerFilter Parse(IQueryCollection query, Microversion version, ServerListCaller caller)
    {
        Validate(query, version);

        // remove_invalid_options: the paging and sort parameters are read apart; a filter the caller may not use is dropped.
        var memberFilters = MemberFilters(version);
        var options = query.Keys
            .Where(k => !PagingAndSorting.Contains(k))
            .Where(k => caller.AllowsAllFilters || memberFilters.Contains(k))
            .ToList();
        foreach (var key in options)
            if (JoinedTableParameters.Contains(key) || key.StartsWith('_'))
                throw NovaError.BadRequest($"Invalid filter field: {key}.");
        // Nova reads one value of a filter: the last one given (status, sort_key and sort_dir are read whole).
        string? Value(string key) => options.Contains(key) ? query[key][^1] ?? "" : null;

        var exact = new List<KeyValuePair<string, string>>();
        var patterns = new List<KeyValuePair<string, string>>();
        var matchesNothing = false;
        foreach (var key in options)
        {
            var value = Value(key)!;
            switch (key)
            {
                case "name" or "display_name": patterns.Add(new("display_name", value)); break;
                case "description" or "display_description": patterns.Add(new("display_description", value)); break;
                case "image" or "image_ref": exact.Add(new("image_ref", value)); break;
                case "flavor": exact.Add(new("instance_type_id", value)); break;
                case "user_id" or "uuid" or "host" or "vm_state" or "task_state": exact.Add(new(key, value)); break;
                // Addresses are the network service's; with none, no server has one to match.
                case "ip" or "ip6": matchesNothing = true; break;
                case "launch_index" or "reservation_id" or "hostname" or "key_name" or "power_state" or "node" or "launched_at"
                    or "terminated_at" or "created_at" or "availability_zone" or "locked_by" or "config_drive" or "access_ip_v4"
                    or "access_ip_v6" or "progress" or "kernel_id" or "ramdisk_id" or "root_device_name" or "auto_disk_config":
                    patterns.Add(new(key, value)); break;
            }
        }

        // A status stands for vm states and task states (Nova's _STATE_MAP); it replaces a vm_state or task_state filter.
        IReadOnlyList<string>? vmStates = null, taskStates = null;
        if (query.ContainsKey("status"))
        {
            var (vms, tasks, everyTask) = StatesOf(query["status"].Select(s => s ?? ""));
            if (vms.Count == 0)
            {
                if (version.AtLeast(38)) throw NovaError.BadRequest("Invalid status value");
                matchesNothing = true;
            }
            vmStates = vms;
            exact.RemoveAll(e => e.Key == "vm_state");
            if (!everyTask)
            {
                taskStates = tasks;
                exact.RemoveAll(e => e.Key == "task_state");
            }
        }

        var changesSince = Value("changes-since") is { } sinceText ? IsoTime("changes-since", sinceText) : (DateTimeOffset?)null;
        var changesBefore = Value("changes-before") is { } beforeText ? IsoTime("changes-before", beforeText) : (DateTimeOffset?)null;
        if (changesSince > changesBefore)
            throw NovaError.BadRequest("The value of changes-since must be less than or equal to changes-before.");

        // Live servers only, unless an admin asks for deleted ones or a changes window wants the recently deleted too.
        bool? deleted = Value("deleted") is { } deletedText
            ? Boolean(deletedText) ?? false
            : changesSince is null && changesBefore is null ? false : null;
        bool? softDeleted = Value("soft_deleted") is { } softText ? Boolean(softText) ?? false : null;
        if (vmStates is ["deleted"])
        {
            if (!caller.IsAdmin) throw new Forbidden("Only administrators may list deleted instances");
            deleted = true;
        }

        // all_tenants: present and empty means yes; anything else must be one of oslo's boolean words.
        var allTenants = Value("all_tenants") is { } allText && (allText.Length == 0 || StrictBoolean(allText));
        bool? locked = Value("locked") is { } lockedText ? StrictBoolean(lockedText) : null;
        // Without all_tenants the caller's own project is listed, whatever project_id or tenant_id says (lp:#1185290).
        var project = allTenants ? options.LastOrDefault(k => k is "project_id" or "tenant_id") is { } projectKey ? Value(projectKey) : null : null;

        var split = version.AtLeast(26);
        return new ServerFilter
        {
            AllTenants = allTenants, ProjectId = project, Exact = exact, Patterns = patterns,
            VmStates = vmStates, TaskStates = taskStates, Locked = locked, Deleted = deleted, SoftDeleted = softDeleted,
            ChangesSince = changesSince, ChangesBefore = changesBefore, MatchesNothing = matchesNothing,
            // Nova splits the tag filters on commas (2.26); before, they are not filters.
            Tags = split ? Value("tags")?.Split(',') : null,
            TagsAny = split ? Value("tags-any")?.Split(',') : null,
            NotTags = split ? Value("not-tags")?.Split(',') : null,
            NotTagsAny = split ? Value("not-tags-any")?.Split(',') : null,
            Sort = SortOf(query, version, caller),
            Limit = query.Limit(),
            Marker = query.Text("marker") is { } m ? Guid.TryParse(m, out var marker) ? marker : throw NovaError.BadRequest($"marker [{m}] not found") : null,
        };
    }

    /// <summary>The microversion's JSON schema on the query: known parameters (from 2.75), regular expressions, date-times, sort keys.</summary>
    private static void Validate(IQueryCollection query, Microversion version)
    {
        var regexParameters = version.AtLeast(26) ? RegexParameters.Concat(TagParameters).ToArray() : RegexParameters;
        if (version.AtLeast(75))
        {
            // additionalProperties False, but '^_' parameters pass the schema to be refused by name below.
            var known = regexParameters.Concat(OtherParameters).Concat(JoinedTableParameters).Append("changes-before").Append("locked");
            query.OnlyKnown(known.Concat(query.Keys.Where(k => k.StartsWith('_'))).ToHashSet());
        }
        foreach (var key in regexParameters.Where(query.ContainsKey))
            foreach (var value in query[key])
                if (!IsRegex(value ?? ""))
                    throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {value}. '{value}' is not a 'regex'");
        foreach (var key in version.AtLeast(66) ? ["changes-since", "changes-before"] : new[] { "changes-since" })
            foreach (var value in query.TryGetValue(key, out var values) ? values : default)
                IsoTime(key, value ?? "");

        var valid = (version.AtLeast(75) ? SortKeys.Append("locked") : SortKeys.Concat(IgnoredSortKeys)).ToHashSet();
        foreach (var key in query.TryGetValue("sort_key", out var keys) ? keys : default)
            if (!valid.Contains(key ?? ""))
                throw NovaError.BadRequest(
                    $"Invalid input for query parameters sort_key. Value: {key}. '{key}' is not one of [{string.Join(", ", valid.Select(k => $"'{k}'"))}]");
    }

    /// <summary>
    /// Nova's get_sort_params, remove_invalid_sort_keys and process_sort_params: keys and directions paired in order, a
    /// missing direction the first one's (desc if none); ignored keys dropped with their direction; host and node for admins.
    /// </summary>
    private static List<ServerSort> SortOf(IQueryCollection query, Microversion version, ServerListCaller caller)
    {
        var keys = query.TryGetValue("sort_key", out var k) ? k.Select(v => (v ?? "").Trim()).ToList() : [];
        var dirs = query.TryGetValue("sort_dir", out var d) ? d.Select(v => (v ?? "").Trim()).ToList() : [];
        if (keys.Count == 0) keys.Add("created_at");
        if (dirs.Count == 0) dirs.Add("desc");
        var ignored = version.AtLeast(73) ? IgnoredSortKeys.Where(i => i != "locked").ToArray() : IgnoredSortKeys;
        foreach (var key in keys.ToList())
        {
            if (ignored.Contains(key))
            {
                var at = keys.IndexOf(key);
                if (dirs.Count > at) dirs.RemoveAt(at);
                keys.RemoveAt(at);
            }
            else if (AdminSortKeys.Contains(key) && !caller.IsAdmin)
                throw new Forbidden($"Only administrators can sort servers by {key}");
        }
        if (dirs.Any(dir => dir is not ("asc" or "desc")))
            throw NovaError.BadRequest("Unknown sort direction, must be 'desc' or 'asc'");
        if (dirs.Count > keys.Count) throw NovaError.BadRequest("Sort direction size exceeds sort key size");
        // created_at and the id are the handler's to add (in the first direction); the asked keys get theirs here.
        var first = dirs.Count > 0 ? dirs[0] : "desc";
        var sort = keys.Select((key, i) => new ServerSort(key, (i < dirs.Count ? dirs[i] : first) == "desc")).ToList();
        if (sort.Count == 0) sort.Add(new ServerSort("created_at", first == "desc"));
        return sort;
    }

    /// <summary>
    /// The vm states and task states some statuses stand for (Nova's task_and_vm_state_from_status over _STATE_MAP,
    /// case-insensitive); <c>EveryTask</c> when one of them is a state's default status, which then matches any task.
    /// </summary>
    public static (List<string> VmStates, List<string> TaskStates, bool EveryTask) StatesOf(IEnumerable<string> statuses)
    {
        var wanted = statuses.Select(s => s.ToLowerInvariant()).ToHashSet();
        var vms = new SortedSet<string>(StringComparer.Ordinal);
        var tasks = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (vm, byTask) in StateMap)
            foreach (var (task, status) in byTask)
                if (wanted.Contains(status.ToLowerInvariant()))
                {
                    vms.Add(vm);
                    tasks.Add(task);
                }
        var everyTask = tasks.Remove(DefaultTask);
        return ([.. vms], [.. tasks], everyTask);
    }

    private const string DefaultTask = "default";
    private static readonly string[] Rebuilding = ["rebuilding", "rebuild_block_device_mapping", "rebuild_spawning"];
    private static readonly string[] Resizing = ["resize_prep", "resize_migrating", "resize_migrated", "resize_finish"];

    private static Dictionary<string, string> Tasks(string defaultStatus, params (IEnumerable<string> Tasks, string Status)[] others)
    {
        var map = new Dictionary<string, string> { [DefaultTask] = defaultStatus };
        foreach (var (tasks, status) in others)
            foreach (var task in tasks) map[task] = status;
        return map;
    }

    private static readonly Dictionary<string, Dictionary<string, string>> StateMap = new()
    {
        ["active"] = Tasks("ACTIVE",
            (["rebooting", "reboot_pending", "reboot_started"], "REBOOT"),
            (["rebooting_hard", "reboot_pending_hard", "reboot_started_hard"], "HARD_REBOOT"),
            (["updating_password"], "PASSWORD"), (Rebuilding, "REBUILD"), (["migrating"], "MIGRATING"), (Resizing, "RESIZE")),
        ["building"] = Tasks("BUILD"),
        ["stopped"] = Tasks("SHUTOFF", (Resizing, "RESIZE"), (Rebuilding, "REBUILD")),
        ["resized"] = Tasks("VERIFY_RESIZE", (["resize_reverting"], "REVERT_RESIZE")),
        ["paused"] = Tasks("PAUSED", (["migrating"], "MIGRATING")),
        ["suspended"] = Tasks("SUSPENDED"),
        ["rescued"] = Tasks("RESCUE"),
        ["error"] = Tasks("ERROR", (Rebuilding, "REBUILD")),
        ["deleted"] = Tasks("DELETED"),
        ["soft-delete"] = Tasks("SOFT_DELETED"),
        ["shelved"] = Tasks("SHELVED"),
        ["shelved_offloaded"] = Tasks("SHELVED_OFFLOADED"),
    };

    /// <summary>The schema's 'regex' format: the pattern compiles (.NET's syntax standing in for Python's re; PostgreSQL then matches it).</summary>
    private static bool IsRegex(string pattern)
    {
        if (pattern.Length == 0) return true;
        // Compiling a pattern costs the database time by its length; names are at most 255 characters.
        if (pattern.Length > MaxPatternLength) return false;
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>oslo's bool_from_string: its true and false words, case-insensitive; null for anything else.</summary>
    private static bool? Boolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "1" or "t" or "true" or "on" or "y" or "yes" => true,
        "0" or "f" or "false" or "off" or "n" or "no" => false,
        _ => null,
    };

    /// <summary>bool_from_string(strict=True): anything but its words is refused (Nova's InvalidInput, a 400).</summary>
    private static bool StrictBoolean(string text) => Boolean(text) ?? throw NovaError.BadRequest(
        $"Invalid input received: Unrecognized value '{text}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");

    /// <summary>
    /// The schema's 'date-time' format, which Nova checks with oslo's parse_isotime (the iso8601 package): a year, then
    /// optionally month, day, time, fraction and zone, with or without separators; no zone is UTC.
    /// </summary>
    public static DateTimeOffset IsoTime(string key, string text)
    {
        var invalid = NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {text}. '{text}' is not a 'date-time'");
        var m = Iso8601().Match(text);
        if (!m.Success) throw invalid;
        int Part(string name, int otherwise) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : otherwise;
        try
        {
            var month = Part("monthdash", Part("month", 1));
            var day = Part("daydash", Part("day", 1));
            var fraction = m.Groups["fraction"].Success ? m.Groups["fraction"].Value : "";
            var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
            var offset = TimeSpan.Zero;
            if (m.Groups["sign"].Success)
            {
                offset = new TimeSpan(Part("tzhour", 0), Part("tzminute", 0), 0);
                if (m.Groups["sign"].Value == "-") offset = -offset;
            }
            return new DateTimeOffset(Part("year", 1), month, day, Part("hour", 0), Part("minute", 0), Part("second", 0), offset)
                .AddTicks(ticks);
        }
        catch (ArgumentException)
        {
            throw invalid;
        }
    }

    // iso8601's ISO8601_REGEX, group for group.
    [GeneratedRegex(@"^(?<year>[0-9]{4})(((-(?<monthdash>[0-9]{1,2}))|(?<month>[0-9]{2})(?!$))(((-(?<daydash>[0-9]{1,2}))|(?<day>[0-9]{2}))((?<separator>[ T])(?<hour>[0-9]{2})(:{0,1}(?<minute>[0-9]{2})){0,1}(:{0,1}(?<second>[0-9]{1,2})([.,](?<fraction>[0-9]+)){0,1}){0,1}(?<timezone>Z|((?<sign>[-+])(?<tzhour>[0-9]{2}):{0,1}(?<tzminute>[0-9]{2}){0,1})){0,1}){0,1}){0,1}){0,1}$")]
    private static partial Regex Iso8601();
}
