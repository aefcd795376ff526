namespace Nova.Commands.Requests;

/// <summary>Bad input (Nova's badRequest, 400): the command is refused before anything is appended.</summary>
public sealed class InvalidRequest(string message) : Exception(message);

/// <summary>A referenced thing does not exist (404), e.g. an unknown flavor on delete.</summary>
public sealed class NotFound(string message) : Exception(message);

/// <summary>The caller may not do this (403).</summary>
public sealed class Forbidden(string message) : Exception(message);

/// <summary>A conflict outside a server's state rules (409), e.g. a duplicate flavor.</summary>
public sealed class Conflict(string message) : Exception(message);

/// <summary>
/// A user's command lost an optimistic-concurrency race it could not re-decide (409 in REST,
/// ABORTED in gRPC: the whole request may simply be retried).
/// </summary>
public sealed class ConcurrentUpdate(string message) : Exception(message);

/// <summary>Commands that check their own input; the validation behavior runs it before the handler.</summary>
public interface IValidated
{
    IEnumerable<string> Validate();
}
