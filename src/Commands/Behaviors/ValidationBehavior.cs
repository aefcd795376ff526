using Mediator;
using Nova.Commands.Requests;

namespace Nova.Commands.Behaviors;

/// <summary>Refuses invalid commands before any handler runs (400, nothing appended).</summary>
public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is IValidated validated && validated.Validate().FirstOrDefault() is { } error)
            throw new InvalidRequest(error);
        return next(message, ct);
    }
}
