using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Nova.Api.Http;

namespace Nova.Api.Grpc;

/// <summary>
/// The gRPC half of <see cref="StorableText"/>: a request whose strings (fields, map keys and values, nested
/// messages) hold a NUL is INVALID_ARGUMENT before the service runs. (Protobuf strings are UTF-8 on the wire, so an
/// unpaired surrogate cannot arrive.)
/// </summary>
public sealed class StorableTextInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Require(request as IMessage);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Require(request as IMessage);
        return continuation(request, responseStream, context);
    }

    private static void Require(IMessage? message)
    {
        if (message is null) return;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case string s when !StorableText.IsStorable(s): throw StorableText.Refused(field.JsonName);
                case IMessage nested: Require(nested); break;
                case System.Collections.IDictionary map:
                    foreach (System.Collections.DictionaryEntry entry in map)
                        if (entry.Key is string k && !StorableText.IsStorable(k) || entry.Value is string v && !StorableText.IsStorable(v))
                            throw StorableText.Refused(field.JsonName);
                    break;
                case System.Collections.IEnumerable list when field.IsRepeated:
                    foreach (var item in list)
                        if (item is string s && !StorableText.IsStorable(s)) throw StorableText.Refused(field.JsonName);
                        else if (item is IMessage m) Require(m);
                    break;
            }
        }
    }
}
