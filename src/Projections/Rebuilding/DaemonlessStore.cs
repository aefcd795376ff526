using JasperFx.Events.Daemon;
using Marten;

namespace Nova.Projections.Rebuilding;

/// <summary>
/// The store as operator tools open it: the same mapping as the API's, but the async daemon is the
/// API's to run (and Marten would otherwise warn on stdout that it is disabled).
/// </summary>
public static class DaemonlessStore
{
    public static DocumentStore For(string connectionString, string? documentSchema = null) => DocumentStore.For(o =>
    {
        NovaStore.Configure(o, connectionString);
        o.Projections.AsyncMode = DaemonMode.ExternallyManaged;
        if (documentSchema is null) return;
        o.DatabaseSchemaName = documentSchema;
        o.Events.DatabaseSchemaName = NovaStore.Schema;
    });
}
