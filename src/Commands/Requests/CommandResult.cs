namespace Nova.Commands.Requests;

/// <summary>What a server command wrote: the stream and the version its read model must reach.</summary>
public sealed record ServerWrite(Guid ServerId, long Version);
