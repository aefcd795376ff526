using Grpc.Core;
using Nova.Api.Tests.Grpc;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Fuzzing;

/// <summary>A few hundred hostile gRPC calls: junk ids, NUL and huge strings, bad regexes, another project's ids.</summary>
public sealed class HostileGrpcCalls(ControlPlaneStack stack, FuzzTargets targets, int seed)
{
    private const int Calls = 400;

    private static readonly string[] Strings =
    [
        "", "\u0000", "a\u0000b", "\ud800", "(", "[a", "a{2,1}", "(?<n>x)", "\\p{L}", new string('x', 300_000), new string('y', 256),
        "00000000-0000-0000-0000-000000000000", "not-a-uuid", "'; DROP TABLE x; --", "\u202e",
    ];

    public async IAsyncEnumerable<string> Run()
    {
        var rng = new Random(seed);
        string[] tokens = [FuzzTargets.AdminToken, FuzzTargets.MemberToken, FuzzTargets.AttackerToken];
        var callers = tokens.ToDictionary(t => t, t => stack.Grpc(t));
        try
        {
            for (var i = 0; i < Calls; i++)
            {
                var token = tokens[rng.Next(tokens.Length)];
                var grpc = callers[token];
                var pool = targets.ParameterPool(token);
                string Any() => rng.Next(2) == 0 ? Strings[rng.Next(Strings.Length)] : pool[rng.Next(pool.Count)];
                var kind = rng.Next(9);
                string? failure;
                try
                {
                    object answer = kind switch
                    {
                        0 => await grpc.Servers.GetServerAsync(new GetServerRequest { ServerId = Any() }),
                        1 => await grpc.Servers.ListServersAsync(new ListServersRequest { Name = Any(), Status = Any(), Marker = rng.Next(3) == 0 ? Any() : "", Limit = rng.Next(-5, 5000) }),
                        2 => await grpc.Servers.CreateServerAsync(new CreateServerRequest
                        {
                            Name = Any(), FlavorRef = rng.Next(2) == 0 ? targets.PrivateFlavor : Any(), ImageRef = rng.Next(2) == 0 ? ControlPlaneStack.DefaultImage : Any(),
                            Networks = "none", MinCount = rng.Next(-2, 3), Metadata = { [Any()] = Any() },
                        }),
                        3 => await grpc.Servers.LockServerAsync(new LockServerRequest { ServerId = pool[rng.Next(pool.Count)], LockedReason = Any() }),
                        4 => await grpc.Servers.RebootServerAsync(new RebootServerRequest { ServerId = Any(), Type = (RebootType)rng.Next(-1, 5) }),
                        5 => await grpc.Flavors.GetFlavorAsync(new GetFlavorRequest { FlavorId = rng.Next(2) == 0 ? targets.PrivateFlavor : Any() }),
                        6 => await grpc.Flavors.ListFlavorsAsync(new ListFlavorsRequest { MinRamMb = rng.Next(int.MinValue, int.MaxValue) }),
                        7 => await grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = Any(), AfterVersion = rng.NextInt64(long.MinValue, long.MaxValue), Limit = rng.Next(int.MinValue, int.MaxValue) }),
                        _ => await grpc.Servers.DeleteServerAsync(new DeleteServerRequest { ServerId = token == FuzzTargets.AdminToken ? Any() : pool[rng.Next(pool.Count)] }),
                    };
                    var text = answer.ToString() ?? "";
                    failure = token == FuzzTargets.AttackerToken ? targets.Secrets.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal)) is { } leaked
                        ? $"call {kind}: the attacker saw {leaked}: {text[..Math.Min(300, text.Length)]}" : null : null;
                }
                catch (RpcException e) when (e.StatusCode is not (StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss))
                {
                    failure = null;
                }
                catch (RpcException e)
                {
                    failure = $"call {kind} as {token}: {e.StatusCode} {e.Status.Detail}";
                }
                if (failure is not null) yield return failure;
            }
        }
        finally
        {
            foreach (var c in callers.Values) c.Dispose();
        }
    }
}
