using Marten;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>
/// The write path for a flavor already in the catalog (description, extra specs, access list): load it as the caller
/// may see it (404 otherwise), change it, save it under the document's version. A change that lost to a concurrent one
/// reads the flavor again and decides again, so two concurrent writes both land and neither is lost.
/// </summary>
public static class FlavorChanges
{
    public static Task<T> Change<T>(EventSessions sessions, Caller caller, string id, Func<FlavorRecord, T> change, CancellationToken ct) =>
        sessions.WithRetry(async session =>
        {
            var flavor = await session.LoadAsync<FlavorRecord>(id, ct) is { } found && caller.Sees(found)
                ? found
                : throw FlavorAccess.NotFound(id);
            var result = change(flavor);
            session.Update(flavor);
            await session.SaveChangesAsync(ct);
            return result;
        });
}
