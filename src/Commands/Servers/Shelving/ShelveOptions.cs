using Microsoft.Extensions.Configuration;

namespace Nova.Commands.Servers.Shelving;

/// <summary>
/// Nova's <c>shelved_offload_time</c> (<c>Nova:ShelvedOffloadTime</c>, seconds): 0 offloads a shelved server at once
/// (Nova's default), a positive value after that long, a negative value never (only an admin's shelveOffload does).
/// </summary>
public sealed record ShelveOptions(int OffloadTimeSeconds)
{
    public static ShelveOptions From(IConfiguration config) =>
        new(int.TryParse(config["Nova:ShelvedOffloadTime"], out var seconds) ? seconds : 0);

    public bool OffloadAtOnce => OffloadTimeSeconds == 0;
}
