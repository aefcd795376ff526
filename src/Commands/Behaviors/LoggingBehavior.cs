using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;
using Nova.Commands.Requests;

namespace Nova.Commands.Behaviors;

/// <summary>One log line per command or query, with its request id, duration and outcome.</summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> log, Caller caller)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, ct);
            log.LogDebug("{Message} {RequestId} done in {Elapsed:F1} ms", typeof(TMessage).Name, caller.RequestId,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e)
        {
            log.LogInformation("{Message} {RequestId} refused after {Elapsed:F1} ms: {Reason}", typeof(TMessage).Name,
                caller.RequestId, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
            throw;
        }
    }
}
