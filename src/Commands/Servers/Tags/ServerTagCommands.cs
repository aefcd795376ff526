using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Tags;

/// <summary>PUT /tags (the whole list) or, with no tags, DELETE /tags.</summary>
public sealed record SetServerTags(Guid ServerId, IReadOnlyList<string> Tags) : ICommand<ServerWrite>;

/// <summary>PUT /tags/{tag}: <see cref="ServerTagWrite.Added"/> is false for a tag the server already had (Nova's 204).</summary>
public sealed record AddServerTag(Guid ServerId, string Tag) : ICommand<ServerTagWrite>;

public sealed record ServerTagWrite(ServerWrite Write, bool Added);

public sealed record RemoveServerTag(Guid ServerId, string Tag) : ICommand<ServerWrite>;

public sealed class SetServerTagsHandler(EventSessions sessions, Caller caller) : ICommandHandler<SetServerTags, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(SetServerTags command, CancellationToken ct)
    {
        var (policy, action) = command.Tags.Count == 0 ? ("delete_all", "delete tags") : ("update_all", "update tags");
        return await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.SetTags(caller.AsRequester(), command.Tags, action),
            ct: ct, policy: $"os_compute_api:os-server-tags:{policy}");
    }
}

public sealed class AddServerTagHandler(EventSessions sessions, Caller caller) : ICommandHandler<AddServerTag, ServerTagWrite>
{
    public async ValueTask<ServerTagWrite> Handle(AddServerTag command, CancellationToken ct)
    {
        var had = false;
        var write = await ServerStreams.Execute(sessions, caller, command.ServerId,
            state =>
            {
                had = state.TagList.Contains(command.Tag);
                return new ServerCommand.AddTag(caller.AsRequester(), command.Tag);
            },
            ct: ct, policy: "os_compute_api:os-server-tags:update");
        return new ServerTagWrite(write, !had);
    }
}

public sealed class RemoveServerTagHandler(EventSessions sessions, Caller caller) : ICommandHandler<RemoveServerTag, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(RemoveServerTag command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.RemoveTag(caller.AsRequester(), command.Tag),
            ct: ct, policy: "os_compute_api:os-server-tags:delete");
}
