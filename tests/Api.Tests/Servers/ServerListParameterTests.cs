using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Commands.Requests;

namespace Nova.Api.Tests.Servers;

/// <summary>
/// Nova's query rules of the microversions past this control plane's newest one (2.73 locked, 2.75 strict schema, 2.83
/// member filters, 2.90 hostname): what the list would ask the read model for, read without a stack.
/// </summary>
public sealed class ServerListParameterTests
{
    private static readonly ServerListCaller Member = new(IsAdmin: false, AllowsAllFilters: false);
    private static readonly ServerListCaller Admin = new(IsAdmin: true, AllowsAllFilters: true);

    private static ServerFilter Parse(string query, int minor, ServerListCaller caller) =>
        ServerListParameters.Parse(new QueryCollection(QueryHelpers.ParseQuery(query)), new Microversion(2, minor), caller);

    private static int Status(Action parse)
    {
        try { parse(); return 200; }
        catch (NovaError e) { return e.Status; }
        catch (Forbidden) { return 403; }
    }

    [Fact]
    public void A_member_gets_the_state_time_and_user_filters_from_2_83_and_hostname_from_2_90()
    {
        const string query = "user_id=u1&key_name=k&power_state=1&vm_state=active&availability_zone=z&hostname=h&host=x";
        var before = Parse(query, 82, Member);
        Assert.Empty(before.Exact);
        Assert.Empty(before.Patterns);

        var at83 = Parse(query, 83, Member);
        Assert.Equal(["user_id", "vm_state"], at83.Exact.Select(e => e.Key).Order());
        Assert.Equal(["availability_zone", "key_name", "power_state"], at83.Patterns.Select(p => p.Key).Order());
        Assert.Contains(Parse(query, 90, Member).Patterns, p => p is { Key: "hostname", Value: "h" });
        // host stays an admin's filter at every version.
        Assert.DoesNotContain(Parse(query, 90, Member).Exact, e => e.Key == "host");
        Assert.Contains(Parse(query, 21, Admin).Exact, e => e is { Key: "host", Value: "x" });
    }

    [Fact]
    public void Locked_is_a_members_filter_and_sort_key_from_2_73_and_2_75_refuses_unknown_parameters_and_dropped_sort_keys()
    {
        Assert.Null(Parse("locked=true", 72, Member).Locked);
        Assert.True(Parse("locked=true", 73, Member).Locked);
        Assert.Equal(400, Status(() => Parse("locked=sometimes", 73, Member)));
        Assert.Equal([new ServerSort("locked", false)], Parse("sort_key=locked&sort_dir=asc", 73, Member).Sort);
        // Before 2.73 locked is one of the keys Nova drops, with its direction.
        Assert.Equal([new ServerSort("created_at", true)], Parse("sort_key=locked&sort_dir=asc", 72, Member).Sort);

        Assert.Equal(200, Status(() => Parse("shoe_size=9", 74, Member)));
        Assert.Equal(400, Status(() => Parse("shoe_size=9", 75, Member)));
        Assert.Equal(200, Status(() => Parse("_internal=1", 75, Member)));
        Assert.Equal(400, Status(() => Parse("_internal=1", 75, Admin)));
        Assert.Equal(200, Status(() => Parse("sort_key=vcpus", 74, Member)));
        Assert.Equal(400, Status(() => Parse("sort_key=vcpus", 75, Member)));
    }

    [Fact]
    public void A_status_replaces_the_vm_and_task_state_filters_with_the_states_it_stands_for()
    {
        var reboot = Parse("status=REBOOT&vm_state=stopped&task_state=x", 83, Member);
        Assert.Equal(["active"], reboot.VmStates);
        Assert.Equal(["reboot_pending", "reboot_started", "rebooting"], reboot.TaskStates);
        Assert.Empty(reboot.Exact);
        // ACTIVE is vm_state active with any task (Nova lists a rebooting server as ACTIVE too).
        var active = Parse("status=active&task_state=rebooting", 83, Member);
        Assert.Null(active.TaskStates);
        Assert.Contains(active.Exact, e => e is { Key: "task_state", Value: "rebooting" });
    }
}
