using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>os-getConsoleOutput is asked of the server's host over RabbitMQ and answered in Nova's shape.</summary>
[Collection(StackCollection.Name)]
public sealed class ConsoleOutputTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task The_hosts_console_log_comes_back_whole_or_its_last_lines_and_only_to_the_owner()
    {
        var client = stack.Client("quinn:console");
        var id = await client.CreateServer("talkative");
        await client.WaitForStatus(id, "ACTIVE");

        var (status, whole) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new Dictionary<string, object?> { ["os-getConsoleOutput"] = new { } });
        Assert.Equal(HttpStatusCode.OK, status);
        var lines = whole!["output"]!.GetValue<string>().Split('\n');
        Assert.True(lines.Length > 3, $"whole log: {lines.Length} lines");
        Assert.Contains(id, lines[3]);
        Assert.Equal(["FAKE CONSOLE OUTPUT", "ANOTHER", "LAST LINE"], lines[^3..]);

        var (_, tail) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new Dictionary<string, object?> { ["os-getConsoleOutput"] = new { length = 1 } });
        Assert.Equal("LAST LINE", tail!["output"]!.GetValue<string>());
        // Tempest's test_get_console_output: length=3 is exactly three lines.
        var (_, three) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new Dictionary<string, object?> { ["os-getConsoleOutput"] = new { length = 3 } });
        Assert.Equal(3, three!["output"]!.GetValue<string>().Split('\n').Length);

        var (stranger, _) = await stack.Client("rex:other").Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new Dictionary<string, object?> { ["os-getConsoleOutput"] = new { } });
        Assert.Equal(HttpStatusCode.NotFound, stranger);
    }
}
