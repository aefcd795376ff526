using Nova.Domain.Quotas;

namespace Nova.Store.Quotas;

/// <summary>Limits an operator set, by Nova resource; an unset one (null) falls back to the next level.</summary>
public abstract class QuotaOverrides
{
    public int? Instances { get; set; }
    public int? Cores { get; set; }
    public int? RamMb { get; set; }
    public int? MetadataItems { get; set; }
    public int? KeyPairs { get; set; }
    public int? ServerGroups { get; set; }
    public int? ServerGroupMembers { get; set; }
    public int? FloatingIps { get; set; }
    public int? FixedIps { get; set; }
    public int? SecurityGroups { get; set; }
    public int? SecurityGroupRules { get; set; }
    public int? InjectedFiles { get; set; }
    public int? InjectedFileContentBytes { get; set; }
    public int? InjectedFilePathBytes { get; set; }

    /// <summary>The limits set, by Nova resource name.</summary>
    public IReadOnlyDictionary<string, int> Set() => Values().Where(v => v.Value is not null)
        .ToDictionary(v => v.Resource, v => v.Value!.Value);

    /// <summary>Sets the limits in <paramref name="changes"/> (Nova resource names), leaving the others.</summary>
    public void Apply(IReadOnlyDictionary<string, int> changes)
    {
        foreach (var (resource, value) in changes)
        {
            switch (resource)
            {
                case QuotaResources.Instances: Instances = value; break;
                case QuotaResources.Cores: Cores = value; break;
                case QuotaResources.Ram: RamMb = value; break;
                case QuotaResources.MetadataItems: MetadataItems = value; break;
                case QuotaResources.KeyPairs: KeyPairs = value; break;
                case QuotaResources.ServerGroups: ServerGroups = value; break;
                case QuotaResources.ServerGroupMembers: ServerGroupMembers = value; break;
                case QuotaResources.FloatingIps: FloatingIps = value; break;
                case QuotaResources.FixedIps: FixedIps = value; break;
                case QuotaResources.SecurityGroups: SecurityGroups = value; break;
                case QuotaResources.SecurityGroupRules: SecurityGroupRules = value; break;
                case QuotaResources.InjectedFiles: InjectedFiles = value; break;
                case QuotaResources.InjectedFileContentBytes: InjectedFileContentBytes = value; break;
                case QuotaResources.InjectedFilePathBytes: InjectedFilePathBytes = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(changes), resource, "no such quota resource");
            }
        }
    }

    private IEnumerable<(string Resource, int? Value)> Values() =>
    [
        (QuotaResources.Instances, Instances), (QuotaResources.Cores, Cores), (QuotaResources.Ram, RamMb),
        (QuotaResources.MetadataItems, MetadataItems), (QuotaResources.KeyPairs, KeyPairs),
        (QuotaResources.ServerGroups, ServerGroups), (QuotaResources.ServerGroupMembers, ServerGroupMembers),
        (QuotaResources.FloatingIps, FloatingIps), (QuotaResources.FixedIps, FixedIps),
        (QuotaResources.SecurityGroups, SecurityGroups), (QuotaResources.SecurityGroupRules, SecurityGroupRules),
        (QuotaResources.InjectedFiles, InjectedFiles), (QuotaResources.InjectedFileContentBytes, InjectedFileContentBytes),
        (QuotaResources.InjectedFilePathBytes, InjectedFilePathBytes),
    ];
}

/// <summary>An operator's quota overrides for one project; unset values fall back to the defaults.</summary>
public sealed class QuotaSetRecord : QuotaOverrides
{
    /// <summary>The project id.</summary>
    public string Id { get; set; } = "";
}

/// <summary>
/// A quota class's limits (PUT /os-quota-class-sets/{name}). As in Nova only the class <c>default</c> is read for
/// projects: it overrides the configured defaults for every project without a limit of its own.
/// </summary>
public sealed class QuotaClassRecord : QuotaOverrides
{
    public const string Default = "default";

    /// <summary>The class name.</summary>
    public string Id { get; set; } = "";
}
