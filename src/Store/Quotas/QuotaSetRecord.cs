namespace Nova.Store.Quotas;

/// <summary>An operator's quota overrides for one project; unset values fall back to the defaults.</summary>
public sealed class QuotaSetRecord
{
    /// <summary>The project id.</summary>
    public string Id { get; set; } = "";
    public int? Instances { get; set; }
    public int? Cores { get; set; }
    public int? RamMb { get; set; }
    public int? MetadataItems { get; set; }
    public int? KeyPairs { get; set; }
    public int? ServerGroups { get; set; }
    public int? ServerGroupMembers { get; set; }
}
