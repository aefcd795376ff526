using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain.KeyPairs;

namespace Nova.Commands.KeyPairs;

/// <summary>
/// POST /os-keypairs: import <paramref name="PublicKey"/>, or generate a pair when it is absent. <paramref name="UserId"/>
/// (2.10) is the user the key pair is for, an admin's choice; null is the caller.
/// </summary>
public sealed record CreateKeyPair(string Name, string Type = KeyPair.Ssh, string? PublicKey = null, string? UserId = null)
    : ICommand<CreatedKeyPair>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (KeyMaterial.NameProblem(Name) is { } problem) yield return problem;
        if (!KeyPair.Types.Contains(Type))
            yield return $"Invalid input for field/attribute type. Value: {Type}. '{Type}' is not one of ['ssh', 'x509']";
    }
}

/// <summary>The stored key pair, and the private key when it was generated (shown this once).</summary>
public sealed record CreatedKeyPair(KeyPair KeyPair, string? PrivateKey);

public sealed class CreateKeyPairHandler(IDocumentStore store, EventSessions sessions, Caller caller, QuotaDefaults quotas, TimeProvider clock)
    : ICommandHandler<CreateKeyPair, CreatedKeyPair>
{
    public async ValueTask<CreatedKeyPair> Handle(CreateKeyPair command, CancellationToken ct)
    {
        var user = command.UserId ?? caller.UserId;
        caller.AuthorizeForUser("os_compute_api:os-keypairs:create", user);

        int limit, inUse;
        await using (var query = store.QuerySession())
        {
            // key_pairs is a per-user count against the limit of the caller's project, as Nova checks it.
            limit = (await quotas.For(query, caller.ProjectId, ct)).KeyPairs;
            inUse = await query.Query<KeyPair>().CountAsync(k => k.UserId == user && !k.Deleted, ct);
        }
        if (limit >= 0 && inUse >= limit) throw new KeyPairLimitExceeded();

        // Generated only once the quota allows it; an imported key is read before anything is written.
        var generated = command.PublicKey is null ? KeyGeneration.For(command.Type, user) : null;
        var publicKey = generated?.PublicKey ?? command.PublicKey!;
        var fingerprint = generated?.Fingerprint ?? KeyMaterial.Fingerprint(command.Type, publicKey);

        var id = KeyPair.IdOf(user, command.Name);
        await sessions.WithRetry(async session =>
        {
            var stream = await session.Events.FetchForExclusiveWriting<KeyPair>(id, ct);
            stream.AppendMany(KeyPairDecider.Decide(new KeyPairCommand.Create(
                user, command.Name, command.Type, publicKey, fingerprint, clock.GetUtcNow(), inUse, limit), stream.Aggregate));
            await session.SaveChangesAsync(ct);
            return true;
        });
        await using var read = store.QuerySession();
        var stored = await read.LoadAsync<KeyPair>(id, ct) ?? throw new InvalidOperationException("key pair not stored");
        return new CreatedKeyPair(stored, generated?.PrivateKey);
    }
}
