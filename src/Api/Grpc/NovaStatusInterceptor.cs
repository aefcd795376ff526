using Grpc.Core;
using Grpc.Core.Interceptors;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Domain.Quotas;
using Nova.Domain.ServerGroups;

namespace Nova.Api.Grpc;

/// <summary>
/// The gRPC side of <see cref="NovaErrorMiddleware"/>: a failure becomes the gRPC status that says
/// what Nova's HTTP status says (NovaError.GrpcCode), with Nova's message as the status detail.
/// Two refinements gRPC can express and HTTP cannot: a lost concurrency race is ABORTED (retry the
/// call), a quota is RESOURCE_EXHAUSTED. Anything unexpected is a logged INTERNAL without details.
/// </summary>
public sealed class NovaStatusInterceptor(ILogger<NovaStatusInterceptor> log) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToStatus(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToStatus(e, context);
        }
    }

    private RpcException ToStatus(Exception e, ServerCallContext context)
    {
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        if (NovaError.Classify(e) is not var (status, message))
        {
            log.LogError(e, "Unexpected error in {Method}", context.Method);
            return new RpcException(new Status(StatusCode.Internal, NovaError.UnexpectedMessage));
        }
        var code = e switch
        {
            ConcurrentUpdate => StatusCode.Aborted,
            QuotaExceeded or ServerGroupFull => StatusCode.ResourceExhausted,
            _ => NovaError.GrpcCode(status),
        };
        return new RpcException(new Status(code, message));
    }
}
