using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Nova.Api.Audit;
using Nova.Api.Http;

namespace Nova.Api.Grpc;

/// <summary>
/// The native gRPC API (protos in src/Api/Grpc/Protos, package nova.compute.v1), served by the
/// control-plane process on its own port: HTTP/2 without TLS (h2c), with server reflection.
/// </summary>
public static class GrpcApi
{
    public const string DefaultUrl = "http://127.0.0.1:8779";

    /// <summary>The port gRPC is served on (<c>Nova:Grpc:Url</c>).</summary>
    public sealed record GrpcPort(int Number);

    public static void AddGrpcApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(new GrpcPort(new Uri(config["Nova:Grpc:Url"] ?? DefaultUrl).Port));
        services.AddSingleton<EventHighWaterMark>();
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<NovaStatusInterceptor>();
            options.Interceptors.Add<StorableTextInterceptor>();
        });
        services.AddGrpcReflection();
    }

    /// <summary>
    /// REST on its URL(s), gRPC on <c>Nova:Grpc:Url</c>. Both are cleartext: REST speaks HTTP/1.1 (HTTP/2
    /// beside it needs TLS to negotiate, which a proxy in front provides), gRPC speaks HTTP/2 only, which
    /// is what lets clients use it without TLS (h2c with prior knowledge).
    /// </summary>
    public static void ListenForRestAndGrpc(this ConfigureWebHostBuilder host, IConfiguration config, string restDefault)
    {
        var rest = config["urls"] is { Length: > 0 } urls ? urls
            : config["ASPNETCORE_URLS"] is { Length: > 0 } aspnet ? aspnet
            : config["Nova:Api:Url"] ?? restDefault;
        var grpc = config["Nova:Grpc:Url"] ?? DefaultUrl;
        // Listening is configured here, so the hosting URLs must not be applied as well.
        host.UseUrls();
        host.ConfigureKestrel(kestrel =>
        {
            // A Watch can be silent for long: HTTP/2 pings keep idle streams alive through NATs and
            // proxies, and tell a dead client from a quiet one.
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            foreach (var url in rest.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Listen(kestrel, url, HttpProtocols.Http1);
            Listen(kestrel, grpc, HttpProtocols.Http2);
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"));
        if (uri.Scheme != "http") throw new InvalidOperationException($"Only http:// URLs can be served here (put TLS in front): {url}");
        if (uri.Host == "localhost") kestrel.ListenLocalhost(uri.Port, o => o.Protocols = protocols);
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)) kestrel.Listen(address, uri.Port, o => o.Protocols = protocols);
        else throw new InvalidOperationException($"Listen on an IP address or localhost, not a host name: {url}");
    }

    public static void MapGrpcApi(this WebApplication app)
    {
        app.MapGrpcService<ServersGrpcService>();
        app.MapGrpcService<FlavorsGrpcService>();
        app.MapGrpcService<ServerEventsGrpcService>();
        app.MapGrpcReflectionService();
    }
}

/// <summary>
/// gRPC and REST share the process, not the port: the gRPC port answers only gRPC calls and the
/// REST port only REST, decided by the port the connection came in on (a Host header can lie or be
/// rewritten by a proxy). Runs before authentication, so a wrong-port call is told so, not "401".
/// </summary>
public sealed class GrpcPortSeparation(RequestDelegate next, GrpcApi.GrpcPort grpcPort)
{
    public Task Invoke(HttpContext http)
    {
        var onGrpcPort = http.Connection.LocalPort == grpcPort.Number;
        var isGrpc = NovaError.IsGrpc(http.Request);
        if (onGrpcPort && !isGrpc) return NovaError.Write(http, 404, "This port serves the gRPC API only (content-type application/grpc); REST is on the API URL.");
        if (!onGrpcPort && isGrpc) return NovaError.Write(http, 501, $"gRPC is served on port {grpcPort.Number}, not here.");
        return next(http);
    }
}
