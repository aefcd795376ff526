using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Images;

namespace Nova.Api.Images;

public sealed record ListImages : IQuery<IReadOnlyList<ImageRecord>>;

public sealed class ListImagesHandler(IQuerySession session, Caller caller) : IQueryHandler<ListImages, IReadOnlyList<ImageRecord>>
{
    public async ValueTask<IReadOnlyList<ImageRecord>> Handle(ListImages query, CancellationToken ct) =>
        (await session.Query<ImageRecord>().OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(ct)).Where(i => i.IsVisibleTo(caller.ProjectId, caller.IsAdmin)).ToList();
}
