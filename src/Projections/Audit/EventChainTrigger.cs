using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Weasel.Core;

namespace Nova.Projections.Audit;

/// <summary>
/// The trigger on <c>mt_events</c> and its function, as one schema object. Weasel's own Function and
/// Trigger objects were tried and lost the trigger on every second migration (the function compared as
/// changed, was dropped with CASCADE and took the trigger with it), so this object compares the
/// function's source itself and always (re)creates both together.
/// </summary>
public sealed class EventChainTrigger(string schema) : ISchemaObject
{
    private const string Function = "mt_chain_event";
    private const string Trigger = "mt_events_chain";
    private readonly string body = EventChain.TriggerBody(schema);

    public DbObjectName Identifier { get; } = Weasel.Postgresql.PostgresqlProvider.Instance.Parse($"{schema}.{Function}");

    public IEnumerable<DbObjectName> AllNames() => [Identifier];

    public void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        writer.WriteLine($"CREATE OR REPLACE FUNCTION {schema}.{Function}() RETURNS trigger LANGUAGE plpgsql AS $chain${body}$chain$;");
        writer.WriteLine($"DROP TRIGGER IF EXISTS {Trigger} ON {schema}.mt_events;");
        writer.WriteLine($"CREATE TRIGGER {Trigger} AFTER INSERT ON {schema}.mt_events FOR EACH ROW EXECUTE FUNCTION {schema}.{Function}();");
    }

    public void WriteDropStatement(Migrator migrator, TextWriter writer)
    {
        writer.WriteLine($"DROP TRIGGER IF EXISTS {Trigger} ON {schema}.mt_events;");
        writer.WriteLine($"DROP FUNCTION IF EXISTS {schema}.{Function}();");
    }

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
        builder.Append($"""
            SELECT (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = '{schema}' AND c.relname = 'mt_events' AND t.tgname = '{Trigger}' AND t.tgenabled <> 'D'),
                   (SELECT md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = '{schema}' AND p.proname = '{Function}');
            """);

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(1))
            return new SchemaObjectDelta(this, SchemaPatchDifference.Create);
        var current = await reader.GetFieldValueAsync<long>(0, ct) == 1
                      && reader.GetString(1) == Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
        return new SchemaObjectDelta(this, current ? SchemaPatchDifference.None : SchemaPatchDifference.Update);
    }
}
