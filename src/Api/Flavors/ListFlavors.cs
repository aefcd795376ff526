using Marten;
using Mediator;
using Nova.Commands.Flavors;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Api.Flavors;

/// <summary>
/// Flavors a caller may see, filtered, sorted and paged as Nova's GET /flavors. <paramref name="IsPublic"/> is the
/// admin's <c>is_public</c> filter: true (the default) the public flavors and those shared with the admin's project,
/// false the private ones, null all; for anyone else it is ignored (public and shared with their project).
/// </summary>
public sealed record ListFlavors(
    bool? IsPublic = true, int? MinRamMb = null, int? MinDiskGb = null, string? Marker = null, int? Limit = null,
    string SortKey = "flavorid", bool Descending = false)
    : IQuery<IReadOnlyList<FlavorRecord>>, IValidated
{
    public const int MaxLimit = 1000;

    /// <summary>Nova's VALID_SORT_KEYS (its flavor columns; this catalog keeps no vcpu_weight and never disables one).</summary>
    public static readonly IReadOnlyList<string> SortKeys =
    [
        "created_at", "description", "disabled", "ephemeral_gb", "flavorid", "id", "is_public", "memory_mb", "name",
        "root_gb", "rxtx_factor", "swap", "updated_at", "vcpu_weight", "vcpus",
    ];

    public IEnumerable<string> Validate()
    {
        if (Limit is < 0) yield return $"Invalid input for query parameters limit. Value: {Limit}. Must be 0 or more.";
        if (!SortKeys.Contains(SortKey))
            yield return $"Invalid input for query parameters sort_key. Value: {SortKey}. '{SortKey}' is not one of [{string.Join(", ", SortKeys.Select(k => $"'{k}'"))}]";
    }
}

public sealed class ListFlavorsHandler(IQuerySession session, Caller caller) : IQueryHandler<ListFlavors, IReadOnlyList<FlavorRecord>>
{
    public async ValueTask<IReadOnlyList<FlavorRecord>> Handle(ListFlavors query, CancellationToken ct)
    {
        var visible = (await session.Query<FlavorRecord>().ToListAsync(ct)).Where(caller.Sees).ToList();
        var isPublic = caller.SeesAllFlavors() ? query.IsPublic : true;
        var flavors = visible.Where(f => isPublic switch
        {
            null => true,
            true => f.IsPublic || f.Projects.Contains(caller.ProjectId),
            false => !f.IsPublic,
        }).ToList();
        if (query.MinRamMb is { } ram) flavors = flavors.Where(f => f.RamMb >= ram).ToList();
        if (query.MinDiskGb is { } disk) flavors = flavors.Where(f => f.DiskGb >= disk).ToList();

        var order = FlavorOrder.By(query.SortKey, query.Descending);
        flavors.Sort(order);
        if (query.Marker is { } marker)
        {
            // The marker is looked up among all the caller may see, filters aside: the page starts after its place.
            var at = visible.FirstOrDefault(f => f.Id == marker) ?? throw new InvalidRequest($"marker [{marker}] not found");
            flavors = flavors.Where(f => order(f, at) > 0).ToList();
        }
        return flavors.Take(query.Limit ?? ListFlavors.MaxLimit).ToList();
    }
}

/// <summary>Nova's flavor order: the sort key, then the row's creation (its internal id), in the one direction.</summary>
public static class FlavorOrder
{
    public static Comparison<FlavorRecord> By(string key, bool descending)
    {
        Comparison<FlavorRecord> primary = key switch
        {
            "name" => (a, b) => string.CompareOrdinal(a.Name, b.Name),
            "memory_mb" => (a, b) => a.RamMb.CompareTo(b.RamMb),
            "vcpus" => (a, b) => a.Vcpus.CompareTo(b.Vcpus),
            "root_gb" => (a, b) => a.DiskGb.CompareTo(b.DiskGb),
            "ephemeral_gb" => (a, b) => a.EphemeralGb.CompareTo(b.EphemeralGb),
            "swap" => (a, b) => a.SwapMb.CompareTo(b.SwapMb),
            "rxtx_factor" => (a, b) => a.RxtxFactor.CompareTo(b.RxtxFactor),
            "is_public" => (a, b) => a.IsPublic.CompareTo(b.IsPublic),
            "description" => (a, b) => string.CompareOrdinal(a.Description, b.Description),
            "updated_at" => (a, b) => Nullable.Compare(a.UpdatedAt, b.UpdatedAt),
            "created_at" or "id" => (a, b) => a.CreatedAt.CompareTo(b.CreatedAt),
            "flavorid" => FlavorId,
            _ => (_, _) => 0, // disabled, vcpu_weight: the same for every flavor here
        };
        int Ascending(FlavorRecord a, FlavorRecord b)
        {
            var c = primary(a, b);
            if (c == 0) c = a.CreatedAt.CompareTo(b.CreatedAt);
            return c != 0 ? c : FlavorId(a, b);
        }
        return descending ? (a, b) => Ascending(b, a) : Ascending;
    }

    /// <summary>Numeric ids in numeric order keep m1.tiny … m1.xlarge in place; the others after them, ordinal.</summary>
    private static int FlavorId(FlavorRecord a, FlavorRecord b)
    {
        var (na, nb) = (long.TryParse(a.Id, out var x) ? x : long.MaxValue, long.TryParse(b.Id, out var y) ? y : long.MaxValue);
        return na != nb ? na.CompareTo(nb) : string.CompareOrdinal(a.Id, b.Id);
    }
}
