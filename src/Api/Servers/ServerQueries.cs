using System.Text.RegularExpressions;
using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Projections.Servers;

namespace Nova.Api.Servers;

/// <summary>GET /servers and /servers/detail filters (Nova's names).</summary>
public sealed record ServerFilter(
    string? Name = null, string? Status = null, int? Limit = null, Guid? Marker = null,
    bool AllTenants = false, string? ProjectId = null, string? Host = null, string? FlavorId = null,
    string? ImageId = null, DateTimeOffset? ChangesSince = null, bool SortAscending = false);

public sealed record ListServers(ServerFilter Filter) : IQuery<IReadOnlyList<ServerView>>;

public sealed record GetServer(Guid ServerId) : IQuery<ServerView>;

public sealed class ServerQueryHandlers(IQuerySession session, Caller caller)
    : IQueryHandler<ListServers, IReadOnlyList<ServerView>>, IQueryHandler<GetServer, ServerView>
{
    public const int MaxLimit = 1000;

    public async ValueTask<IReadOnlyList<ServerView>> Handle(ListServers query, CancellationToken ct)
    {
        var f = query.Filter;
        if (f.AllTenants) caller.Authorize("os_compute_api:servers:index:get_all_tenants");
        var all = f.AllTenants;
        IQueryable<ServerView> q = session.Query<ServerView>();
        q = f.ChangesSince is { } since ? q.Where(s => s.UpdatedAt >= since) : q.Where(s => !s.Deleted);
        if (!all) q = q.Where(s => s.ProjectId == caller.ProjectId);
        else if (f.ProjectId is { } project) q = q.Where(s => s.ProjectId == project);
        q = f.SortAscending ? q.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id) : q.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id);
        IEnumerable<ServerView> servers = await q.ToListAsync(ct);

        if (f.Name is { } name)
        {
            var regex = new Regex(name, RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));
            servers = servers.Where(s => regex.IsMatch(s.Name));
        }
        if (f.Status is { } status) servers = servers.Where(s => s.Status.Equals(status, StringComparison.OrdinalIgnoreCase));
        if (f.Host is { } host && caller.Allows("os_compute_api:servers:allow_all_filters")) servers = servers.Where(s => s.Host == host);
        if (f.FlavorId is { } flavor) servers = servers.Where(s => s.Flavor.Id == flavor);
        if (f.ImageId is { } image) servers = servers.Where(s => s.ImageId == image);

        var list = servers.ToList();
        if (f.Marker is { } marker)
        {
            var at = list.FindIndex(s => s.Id == marker);
            if (at < 0) throw new InvalidRequest($"marker [{marker}] not found");
            list = list.Skip(at + 1).ToList();
        }
        return list.Take(Math.Min(f.Limit ?? MaxLimit, MaxLimit)).ToList();
    }

    public async ValueTask<ServerView> Handle(GetServer query, CancellationToken ct)
    {
        var view = await session.LoadAsync<ServerView>(query.ServerId, ct);
        if (view is null || view.Deleted || !caller.Allows("os_compute_api:servers:show", view.ProjectId))
            throw new ServerNotFound(query.ServerId);
        return view;
    }
}
