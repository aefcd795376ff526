using Npgsql;

namespace Nova.Store;

/// <summary>
/// Names the database keeps unique with an index, so two concurrent creates (or renames) cannot both pass a
/// check-then-insert: the loser's transaction is refused with PostgreSQL's unique violation (23505).
/// </summary>
public static class UniqueNames
{
    public const string FlavorName = "nova_unique_flavor_name";
    public const string HostAggregateName = "nova_unique_host_aggregate_name";

    /// <summary>The write was refused by the unique index <paramref name="index"/> (Marten may wrap the error).</summary>
    public static bool Refused(Exception e, string index) =>
        Chain(e).OfType<PostgresException>().Any(pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName == index);

    /// <summary>
    /// The write was refused by any unique key: a unique index, or the document's id, which Marten reports as its
    /// own <c>DocumentAlreadyExistsException</c> without PostgreSQL's error inside.
    /// </summary>
    public static bool Duplicate(Exception e) =>
        Chain(e).Any(x => x is JasperFx.DocumentAlreadyExistsException or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation });

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}
