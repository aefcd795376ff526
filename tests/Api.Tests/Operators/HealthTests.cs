using System.Net;
using System.Text.RegularExpressions;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Operators;

/// <summary>/healthz and /metrics: the daemon's state and each projection's lag, without a token.</summary>
[Collection(OperatorsCollection.Name)]
public sealed class HealthTests(OperatorStack ops)
{
    [Fact]
    public async Task Healthz_reports_each_projections_lag_and_fails_while_the_daemon_is_stopped()
    {
        await ops.CaughtUp();
        using var anonymous = new HttpClient { BaseAddress = ops.Stack.BaseAddress };

        var (status, body) = await anonymous.Get("/healthz");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body!["status"]!.GetValue<string>());
        Assert.True(body["daemon"]!["running"]!.GetValue<bool>());
        var highest = body["highest_sequence"]!.GetValue<long>();
        var view = body["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "ServerView:All")!;
        Assert.Equal("async", view["kind"]!.GetValue<string>());
        Assert.Equal(highest, view["position"]!.GetValue<long>() + view["lag_events"]!.GetValue<long>());
        Assert.Contains(body["projections"]!.AsArray(), p => p!["kind"]!.GetValue<string>() == "subscription");

        var daemon = ops.Stack.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.StopAllAsync();
        try
        {
            (status, body) = await anonymous.Get("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("failing", body!["status"]!.GetValue<string>());
            Assert.Contains("the projection daemon is not running", body["problems"]!.AsArray().Select(p => p!.GetValue<string>()));
        }
        finally
        {
            await daemon.StartAllAsync();
        }
        await Eventually.True(async () => (await anonymous.Get("/healthz")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "healthy again once the daemon runs");
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format()
    {
        await ops.CaughtUp();
        using var anonymous = new HttpClient { BaseAddress = ops.Stack.BaseAddress };

        var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE nova_projection_lag_events gauge", text);
        Assert.Matches(@"nova_projection_position\{projection=""ServerView:All"",kind=""async""\} [1-9]\d*\n", text);
        Assert.Matches(@"nova_projection_lag_seconds\{projection=""InstanceActionLog:All"",kind=""async""\} [\d.]+\n", text);
        // The fixture's boots went through the daemon in this process.
        var processed = Regex.Match(text, @"nova_projection_events_processed_total\{projection=""ServerView:All"",kind=""async""\} (\d+)");
        Assert.True(long.Parse(processed.Groups[1].Value) > 0, text);
        Assert.Matches(@"nova_projection_errors_total\{projection=""ServerView:All"",kind=""async""\} 0\n", text);
        Assert.Matches(@"nova_http_requests_total\{code=""202""\} [1-9]", text);
        Assert.Contains("nova_projection_daemon_running 1\n", text);
    }
}
