using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>Server tags as Nova's server_tags API: 50 at most, 1..60 characters without '/' or ','; four vm_states.</summary>
public class ServerTagTests
{
    private static object[] Tagged(params string[] tags) => History.Of("active", new ServerTagsSet(A.ServerId, tags));

    [Fact]
    public void Put_tags_replaces_them_without_duplicates()
    {
        Given(Tagged("a", "b")).When(new ServerCommand.SetTags(A.Owner, ["c", "d", "c"])).Then(new ServerTagsSet(A.ServerId, ["c", "d"]));
        Given(Tagged("a", "b")).When(new ServerCommand.SetTags(A.Owner, ["a", "b"])).ThenNothing();
        Given(Tagged("a", "b")).When(new ServerCommand.SetTags(A.Owner, [], "delete tags")).Then(new ServerTagsSet(A.ServerId, []));
    }

    [Fact]
    public void Adding_a_new_tag_records_it_and_one_it_has_records_nothing()
    {
        Given(Tagged("a")).When(new ServerCommand.AddTag(A.Owner, "b")).Then(new ServerTagAdded(A.ServerId, "b"));
        Given(Tagged("a")).When(new ServerCommand.AddTag(A.Owner, "a")).ThenNothing();
        var after = ServerDecider.Fold([.. Tagged("a"), new ServerTagAdded(A.ServerId, "b"), new ServerTagRemoved(A.ServerId, "a")])!;
        Assert.Equal(["b"], after.TagList);
    }

    [Fact]
    public void The_fifty_first_tag_is_refused_even_for_one_it_has_as_in_nova()
    {
        var fifty = Enumerable.Range(1, 50).Select(i => $"t{i}").ToArray();
        var refused = Given(Tagged(fifty)).When(new ServerCommand.AddTag(A.Owner, "t51")).ThenThrows<InvalidServerRequest>();
        Assert.Equal("The number of tags exceeded the per-server limit 50", refused.Message);
        Given(Tagged(fifty)).When(new ServerCommand.AddTag(A.Owner, "t1")).ThenThrows<InvalidServerRequest>();
        Given(Tagged()).When(new ServerCommand.SetTags(A.Owner, [.. fifty, "t51"])).ThenThrows<InvalidServerRequest>();
        Given(Tagged()).When(new ServerCommand.SetTags(A.Owner, fifty)).Then(new ServerTagsSet(A.ServerId, fifty));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a,b")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890")] // 61
    public void A_tag_is_one_to_sixty_characters_without_slash_or_comma(string tag)
    {
        Given(Tagged()).When(new ServerCommand.AddTag(A.Owner, tag)).ThenThrows<InvalidServerRequest>();
        Given(Tagged()).When(new ServerCommand.SetTags(A.Owner, [tag])).ThenThrows<InvalidServerRequest>();
        Assert.Throws<InvalidServerRequest>(() => ServerDecider.Decide(A.Create() with { Tags = [tag] }, null));
    }

    [Theory]
    [InlineData("building")]
    [InlineData("error")]
    [InlineData("shelved")]
    [InlineData("shelved_offloaded")]
    [InlineData("rescued")]
    public void Tags_change_only_when_active_paused_suspended_or_stopped(string state)
    {
        var refused = Given(History.Of(state)).When(new ServerCommand.AddTag(A.Owner, "a")).ThenThrows<ServerConflict>();
        Assert.StartsWith($"Cannot 'update tag' instance {A.ServerId} while it is in vm_state", refused.Message);
        Given(History.Of(state)).When(new ServerCommand.SetTags(A.Owner, ["a"])).ThenThrows<ServerConflict>();
        Given(History.Of(state)).When(new ServerCommand.RemoveTag(A.Owner, "a")).ThenThrows<ServerConflict>();
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("stopped")]
    [InlineData("active/rebooting")]
    public void A_task_or_a_lock_does_not_stop_tagging(string state)
    {
        Given(History.Of(state, A.LockedByAdmin())).When(new ServerCommand.AddTag(A.Owner, "a")).Then(new ServerTagAdded(A.ServerId, "a"));
    }

    [Fact]
    public void Removing_a_missing_tag_is_not_found()
    {
        var missing = Given(Tagged("a")).When(new ServerCommand.RemoveTag(A.Owner, "b")).ThenThrows<ServerItemNotFound>();
        Assert.Equal($"Instance {A.ServerId} has no tag 'b'", missing.Message);
        Given(Tagged("a")).When(new ServerCommand.RemoveTag(A.Owner, "a")).Then(new ServerTagRemoved(A.ServerId, "a"));
    }

    [Fact]
    public void Tags_given_at_create_follow_the_create_request()
    {
        var events = ServerDecider.Decide(A.Create() with { Tags = ["web", "blue", "web"] }, null);
        Assert.Equal(2, events.Count);
        Assert.Equal(new ServerTagsSet(A.ServerId, ["web", "blue"]), events[1], EventComparer.Instance);
        Assert.Equal(["web", "blue"], ServerDecider.Fold(events)!.TagList);
    }
}
