namespace Nova.ComputeRpc;

/// <summary>A question to the server's host (request/response): its console log.</summary>
public sealed record GetConsoleOutput(Guid ServerId, RequestContext Request, int? Lines) : IInstanceMessage;
public sealed record ConsoleOutput(Guid ServerId, string Output, string? Error);
