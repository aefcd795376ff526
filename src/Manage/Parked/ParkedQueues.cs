using System.Text;
using Marten;
using Nova.Projections.Rebuilding;
using Nova.Store.Hosts;
using RabbitMQ.Client;

namespace Nova.Manage.Parked;

/// <summary>
/// Where parked messages are: a message its consumer could not handle after its retries is moved by MassTransit to
/// the queue's <c>_error</c> twin with the reason in its headers. The queues are the scheduler's, the conductor's and
/// one per compute host known to the database. RabbitMQ is reached with the control plane's settings
/// (<c>Nova__RabbitMq__Host</c>, <c>Port</c>, <c>User</c>, <c>Pass</c>, <c>Nova__Bus__QueuePrefix</c>).
/// </summary>
public sealed class ParkedQueues : IAsyncDisposable
{
    private readonly IConnection connection;
    public IChannel Channel { get; }

    private ParkedQueues(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        Channel = channel;
    }

    public static string Prefix => Environment.GetEnvironmentVariable("Nova__Bus__QueuePrefix") ?? "";

    public static async Task<ParkedQueues> Open(CancellationToken ct)
    {
        string Setting(string name, string fallback) => Environment.GetEnvironmentVariable("Nova__RabbitMq__" + name) ?? fallback;
        var factory = new ConnectionFactory
        {
            HostName = Setting("Host", "127.0.0.1"), Port = int.Parse(Setting("Port", "5672")),
            UserName = Setting("User", "guest"), Password = Setting("Pass", "guest"), VirtualHost = Setting("VHost", "/"),
        };
        var connection = await factory.CreateConnectionAsync("nova-manage", ct);
        return new ParkedQueues(connection, await connection.CreateChannelAsync(cancellationToken: ct));
    }

    /// <summary>The queues that may hold parked messages: the control plane's and every known host's.</summary>
    public static async Task<IReadOnlyList<string>> Names(ManageContext context, CancellationToken ct)
    {
        await using var store = DaemonlessStore.For(context.ConnectionString);
        await using var query = store.QuerySession();
        var hosts = await query.Query<ComputeService>().Select(s => s.Id).ToListAsync(ct);
        return [Prefix + "scheduler", Prefix + "conductor", .. hosts.OrderBy(h => h, StringComparer.Ordinal).Select(h => Prefix + "compute." + h)];
    }

    /// <summary>The number of messages parked for <paramref name="queue"/>; 0 when nothing was ever parked there.</summary>
    public async Task<uint> Count(string queue, CancellationToken ct)
    {
        // A passive declare of a missing queue closes the channel: use a throwaway one.
        await using var probe = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            return (await probe.QueueDeclarePassiveAsync(queue + "_error", ct)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>Takes up to <paramref name="count"/> parked messages (unacknowledged: closing the channel puts them back).</summary>
    public async Task<IReadOnlyList<BasicGetResult>> Peek(string queue, uint count, CancellationToken ct)
    {
        var taken = new List<BasicGetResult>();
        for (var i = 0; i < count; i++)
        {
            if (await Channel.BasicGetAsync(queue + "_error", autoAck: false, ct) is not { } message) break;
            taken.Add(message);
        }
        return taken;
    }

    public static string Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => "", _ => value.ToString() ?? "" }
            : "";

    public async ValueTask DisposeAsync()
    {
        await Channel.CloseAsync();
        await connection.CloseAsync();
        connection.Dispose();
    }
}
