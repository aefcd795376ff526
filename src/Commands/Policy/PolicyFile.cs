using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.Commands.Requests;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Nova.Commands.Policy;

/// <summary>
/// The operator's <c>policy.yaml</c> (<c>Nova:Policy:File</c>): oslo.policy's YAML, <c>"rule name": "check string"</c>,
/// overriding Nova's defaults rule by rule. Re-read when the file changes (its modification time or size, looked at on
/// each decision, as oslo.policy does), so an edit takes effect without a restart. No file configured, or none there,
/// is Nova's defaults. A file that does not parse stops the start-up; a later edit that does not parse is logged and
/// the rules read before stay in force.
/// </summary>
public sealed class PolicyFile
{
    public const string Setting = "Nova:Policy:File";

    private readonly ILogger log;
    private readonly object reloading = new();
    private (DateTime Modified, long Length)? seen;
    private volatile PolicyRules current = PolicyRules.Defaults;

    public PolicyFile(string? path, ILogger? log = null)
    {
        Path = string.IsNullOrWhiteSpace(path) ? null : System.IO.Path.GetFullPath(path);
        this.log = log ?? NullLogger.Instance;
        if (Path is null) return;
        if (!File.Exists(Path)) this.log.LogWarning("Policy file {Path} does not exist; Nova's default rules apply until it does", Path);
        Refresh(throwOnError: true);
    }

    public static PolicyFile From(IConfiguration config, ILogger? log = null) => new(config[Setting], log);

    public string? Path { get; }

    /// <summary>The rules in force now, re-read first if the file changed.</summary>
    public PolicyRules Current
    {
        get
        {
            if (Path is not null) Refresh(throwOnError: false);
            return current;
        }
    }

    private void Refresh(bool throwOnError)
    {
        var info = new FileInfo(Path!);
        (DateTime, long)? stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
        if (stamp == seen) return;
        lock (reloading)
        {
            if (stamp == seen) return;
            try
            {
                var overrides = info.Exists ? Read(File.ReadAllText(Path!)) : new Dictionary<string, string>();
                current = new PolicyRules(overrides);
                foreach (var unknown in overrides.Keys.Where(k => !NovaPolicy.Defaults.ContainsKey(k)))
                    log.LogWarning("Policy file {Path}: {Rule} is not one of this control plane's rules; it is kept as an alias for rule:{Rule}", Path, unknown, unknown);
                log.LogInformation("Policy file {Path} read: {Count} rules overridden", Path, overrides.Count(o => NovaPolicy.Defaults.ContainsKey(o.Key)));
            }
            catch (Exception e) when (e is PolicySyntaxError or YamlException or IOException)
            {
                if (throwOnError) throw new PolicySyntaxError($"policy file {Path}: {e.Message}");
                log.LogError("Policy file {Path} is not valid, the rules read before stay in force: {Error}", Path, e.Message);
            }
            seen = stamp;
        }
    }

    /// <summary>Parses oslo.policy's YAML: a mapping of rule names to check strings (an empty file overrides nothing).</summary>
    public static Dictionary<string, string> Read(string yaml)
    {
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(yaml) ?? new Dictionary<string, object?>();
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in document)
            rules[name] = value switch
            {
                string check => check,
                null => throw new PolicySyntaxError($"rule \"{name}\" has no check string (write \"\" to allow everyone, \"!\" to allow no one)"),
                _ => throw new PolicySyntaxError($"rule \"{name}\" must be a check string, e.g. \"role:admin\""),
            };
        return rules;
    }
}
