using Marten;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reporting;

/// <summary>
/// A server action's rule for the conductor: "this host report becomes this command". The decider judges it
/// against the server's current state, so a redelivered or stale report decides nothing.
/// </summary>
public interface IHostReportRule<in TReport> where TReport : class, IHostReport
{
    ServerCommand Decide(TReport report, DateTimeOffset now);

    /// <summary>
    /// What the recorded <paramref name="events"/> change beyond the server's stream (a claim released, the
    /// quota given back), in the same transaction. Runs only when the report decided something.
    /// </summary>
    Task Alongside(IDocumentSession session, TReport report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        Task.CompletedTask;
}
