using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reporting;

/// <summary>The slices' host report rules by report type: what the conductor consumes and how it records each.</summary>
public sealed class HostReportRules
{
    public sealed record Binding(
        Func<IHostReport, DateTimeOffset, ServerCommand> Decide,
        Func<IDocumentSession, IHostReport, Server, IReadOnlyList<object>, CancellationToken, Task> Alongside);

    private readonly Dictionary<Type, Binding> rules = new();

    public HostReportRules(IServiceProvider services)
    {
        var bind = ServerActionSlices.Generic(typeof(HostReportRules), nameof(Bind));
        foreach (var (service, _, reportType) in ServerActionSlices.Implementing(typeof(IHostReportRule<>)))
            rules.Add(reportType, (Binding)bind.MakeGenericMethod(reportType).Invoke(null, [services.GetRequiredService(service)])!);
    }

    /// <summary>The report types some slice records: the conductor's queue consumes exactly these.</summary>
    public static IReadOnlyList<Type> ReportTypes =>
        ServerActionSlices.Implementing(typeof(IHostReportRule<>)).Select(r => r.Subject).Distinct().ToList();

    public Binding For(IHostReport report) =>
        rules.TryGetValue(report.GetType(), out var rule) ? rule
            : throw new ArgumentOutOfRangeException(nameof(report), report.GetType().Name, "no slice records this host report");

    private static Binding Bind<TReport>(IHostReportRule<TReport> rule) where TReport : class, IHostReport =>
        new((report, now) => rule.Decide((TReport)report, now),
            (session, report, server, events, ct) => rule.Alongside(session, (TReport)report, server, events, ct));
}
