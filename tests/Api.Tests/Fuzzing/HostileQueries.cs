using System.Text;

namespace Nova.Api.Tests.Fuzzing;

/// <summary>Query strings with NUL, regexes PostgreSQL may not run, huge and repeated values, for every parameter the API reads.</summary>
public static class HostileQueries
{
    private static readonly string[] Keys =
    [
        "name", "ip", "ip6", "status", "limit", "marker", "changes-since", "all_tenants", "all_projects", "project_id", "tenant_id",
        "host", "flavor", "image", "sort_key", "sort_dir", "minRam", "minDisk", "as_of", "as_of_version", "server_id", "after",
        "since", "until", "user_id", "visibility", "binary", "hypervisor_hostname_pattern", "with_servers", "deleted",
    ];

    private static readonly string[] Values =
    [
        "%00", "a%00b", "(", "[a", "a{2,1}", "(?<n>x)", "%5Cp%7BL%7D", "(?i)x", "x(?=y)", "(?<=x)y", "%5C", "*", "a**", "%5Cx{110000}",
        "(?P<n>x)", "%5Cz", "%5CA", "x%7B99999%7D", "(a|b", "%5B%5B:alpha:%5D", "%5Cu0000", "%5C%5C", "%5B%5D", "%5E%24",
        "%ED%A0%80", "%FF", "%C0%80", "-1", "0", "99999999999999999999", "1e5", "NaN", "2026-13-45T99:99:99Z", "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00%2B14:00", "true", "asc", "desc", "1", "", "%20", "ACTIVE", "admin", "fake-1",
    ];

    public static string Next(Random rng, FuzzTargets targets)
    {
        var sb = new StringBuilder("?");
        var count = rng.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var key = rng.Next(30) == 0 ? "%00" : Keys[rng.Next(Keys.Length)];
            var value = rng.Next(15) switch
            {
                0 => new string('a', rng.Next(2000, 20000)),
                1 => targets.VictimIds[rng.Next(targets.VictimIds.Count)],
                2 => Guid.NewGuid().ToString(),
                _ => Values[rng.Next(Values.Length)],
            };
            var repeats = rng.Next(10) == 0 ? rng.Next(2, 50) : 1;
            for (var r = 0; r < repeats; r++) sb.Append(key).Append('=').Append(value).Append('&');
        }
        return sb.ToString().TrimEnd('&');
    }
}
