using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Api.Flavors;

/// <summary>Flavors a caller may see (private ones for admins), filtered and paged as Nova's GET /flavors.</summary>
public sealed record ListFlavors(bool IncludePrivate, int? MinRamMb = null, int? MinDiskGb = null, string? Marker = null, int? Limit = null)
    : IQuery<IReadOnlyList<FlavorRecord>>, IValidated
{
    public const int MaxLimit = 1000;

    public IEnumerable<string> Validate()
    {
        if (Limit is < 0) yield return $"Invalid input for query parameters limit. Value: {Limit}. Must be 0 or more.";
    }
}

public sealed class ListFlavorsHandler(IQuerySession session) : IQueryHandler<ListFlavors, IReadOnlyList<FlavorRecord>>
{
    public async ValueTask<IReadOnlyList<FlavorRecord>> Handle(ListFlavors query, CancellationToken ct)
    {
        var all = await session.Query<FlavorRecord>().ToListAsync(ct);
        // Nova sorts by flavorid; numeric ids in numeric order keep m1.tiny … m1.xlarge in place.
        var flavors = all.Where(f => query.IncludePrivate || f.IsPublic)
            .OrderBy(f => int.TryParse(f.Id, out var n) ? n : int.MaxValue).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        if (query.MinRamMb is { } ram) flavors = flavors.Where(f => f.RamMb >= ram).ToList();
        if (query.MinDiskGb is { } disk) flavors = flavors.Where(f => f.DiskGb >= disk).ToList();
        if (query.Marker is { } marker)
        {
            var at = flavors.FindIndex(f => f.Id == marker);
            if (at < 0) throw new InvalidRequest($"marker [{marker}] not found");
            flavors = flavors.Skip(at + 1).ToList();
        }
        return flavors.Take(query.Limit ?? ListFlavors.MaxLimit).ToList();
    }
}
