using Nova.Domain.HostAggregates;

namespace Nova.Store.Hosts;

/// <summary>
/// A host aggregate as stored: operator configuration like flavors, kept as a document with an integer id
/// (Nova's API uses integers) and optimistic concurrency, so two concurrent changes cannot lose one another.
/// </summary>
public sealed class HostAggregateRecord
{
    /// <summary>Assigned by the store (HiLo) on insert.</summary>
    public int Id { get; set; }
    public Guid Uuid { get; set; }
    public string Name { get; set; } = "";
    public List<string> Hosts { get; set; } = new();
    public Dictionary<string, string> Metadata { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public HostAggregate ToDomain() => new(Id, Uuid, Name, Hosts, Metadata);

    public void Apply(HostAggregate state, DateTimeOffset at)
    {
        Name = state.Name;
        Hosts = state.Hosts.ToList();
        Metadata = new Dictionary<string, string>(state.Metadata);
        UpdatedAt = at;
    }
}
