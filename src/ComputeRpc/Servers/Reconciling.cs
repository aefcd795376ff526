namespace Nova.ComputeRpc;

/// <summary>
/// Host → conductor, at start-up and periodically: the guests its hypervisor has, taken at <paramref name="TakenAt"/>.
/// The control plane compares them with the servers the event store places on this host.
/// </summary>
public sealed record HostInventory(string Host, IReadOnlyList<Guid> Instances, DateTimeOffset TakenAt);
