using System.Data.Common;
using Weasel.Core;

namespace Nova.Projections.Audit;

/// <summary>
/// An index on Marten's own event table (<c>mt_events</c>), created with the rest of the schema.
/// Marten manages that table and would drop an index it does not know, so each one is also named
/// in <c>IgnoreIndex</c> (see <see cref="EventAudit.Configure"/>).
/// </summary>
public sealed class EventTableIndex(string schema, string name, string columns) : ISchemaObject
{
    public DbObjectName Identifier { get; } = Weasel.Postgresql.PostgresqlProvider.Instance.Parse($"{schema}.{name}");
    public string Name => name;

    public IEnumerable<DbObjectName> AllNames() => [Identifier];

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine($"CREATE INDEX IF NOT EXISTS {name} ON {schema}.mt_events {columns};");

    public void WriteDropStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine($"DROP INDEX IF EXISTS {schema}.{name};");

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
        builder.Append($"select count(*) from pg_indexes where schemaname = '{schema}' and indexname = '{name}';");

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        var exists = await reader.ReadAsync(ct) && await reader.GetFieldValueAsync<long>(0, ct) > 0;
        return new SchemaObjectDelta(this, exists ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }
}
