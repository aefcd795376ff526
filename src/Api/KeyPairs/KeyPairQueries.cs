using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.KeyPairs;

namespace Nova.Api.KeyPairs;

/// <summary>GET /os-keypairs/{name}: the caller's own, or (2.10) an admin's look at another user's.</summary>
public sealed record GetKeyPair(string Name, string? UserId = null) : IQuery<KeyPair>;

public sealed class GetKeyPairHandler(IQuerySession session, Caller caller) : IQueryHandler<GetKeyPair, KeyPair>
{
    public async ValueTask<KeyPair> Handle(GetKeyPair query, CancellationToken ct)
    {
        var user = query.UserId ?? caller.UserId;
        caller.AuthorizeForUser("os_compute_api:os-keypairs:show", user);
        var id = KeyPair.IdOf(user, query.Name);
        if (await session.LoadAsync<KeyPair>(id, ct) is not { Deleted: false } found) throw new KeyPairNotFound(query.Name, user);
        // Nova's integer id: the global sequence of the event that created this key pair, unique and increasing like a row id.
        var created = (await session.Events.FetchStreamAsync(id, token: ct)).LastOrDefault(e => e.Data is KeyPairCreated);
        return found with { Number = created?.Sequence ?? 0 };
    }
}

/// <summary>GET /os-keypairs: a user's key pairs by name; from 2.35 a page of <paramref name="Limit"/> after <paramref name="Marker"/>.</summary>
public sealed record ListKeyPairs(string? UserId = null, int? Limit = null, string? Marker = null) : IQuery<IReadOnlyList<KeyPair>>;

public sealed class ListKeyPairsHandler(IQuerySession session, Caller caller) : IQueryHandler<ListKeyPairs, IReadOnlyList<KeyPair>>
{
    /// <summary>Nova's <c>osapi_max_limit</c>.</summary>
    public const int MaxLimit = 1000;

    public async ValueTask<IReadOnlyList<KeyPair>> Handle(ListKeyPairs query, CancellationToken ct)
    {
        var user = query.UserId ?? caller.UserId;
        caller.AuthorizeForUser("os_compute_api:os-keypairs:index", user);
        IEnumerable<KeyPair> pairs = (await session.Query<KeyPair>().Where(k => k.UserId == user && !k.Deleted).ToListAsync(ct))
            .OrderBy(k => k.Name, StringComparer.Ordinal);
        if (query.Marker is { } marker)
        {
            if (!pairs.Any(k => k.Name == marker)) throw new InvalidRequest($"Marker {marker} could not be found.");
            pairs = pairs.SkipWhile(k => k.Name != marker).Skip(1);
        }
        return pairs.Take(Math.Min(query.Limit ?? MaxLimit, MaxLimit)).ToList();
    }
}
