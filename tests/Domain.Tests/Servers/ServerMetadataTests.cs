using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>Server metadata as Nova's update_instance_metadata / delete_instance_metadata: merge or replace, quota, lock and state.</summary>
public class ServerMetadataTests
{
    private static Dictionary<string, string> Items(params (string Key, string Value)[] items) => items.ToDictionary(i => i.Key, i => i.Value);

    [Fact]
    public void A_merge_keeps_the_other_keys_and_records_the_result()
    {
        // Created with role=web, tier=1.
        Given(History.Of("active"))
            .When(new ServerCommand.SetMetadata(A.Owner, Items(("tier", "2"), ("zone", "b")), Replace: false, Limit: 128))
            .Then(new ServerMetadataSet(A.ServerId, Items(("role", "web"), ("tier", "2"), ("zone", "b"))));
    }

    [Fact]
    public void A_replace_drops_the_keys_not_given()
    {
        Given(History.Of("stopped"))
            .When(new ServerCommand.SetMetadata(A.Owner, Items(("zone", "b")), Replace: true, Limit: 128))
            .Then(new ServerMetadataSet(A.ServerId, Items(("zone", "b"))));
        var after = ServerDecider.Fold(History.Of("active", new ServerMetadataSet(A.ServerId, Items(("zone", "b")))))!;
        Assert.Equal(Items(("zone", "b")), after.MetadataItems);
    }

    [Fact]
    public void The_metadata_items_quota_counts_what_the_server_would_have()
    {
        var refused = Given(History.Of("active"))
            .When(new ServerCommand.SetMetadata(A.Owner, Items(("zone", "b")), Replace: false, Limit: 2))
            .ThenThrows<MetadataLimitExceeded>();
        Assert.Equal("Maximum number of metadata items exceeds 2", refused.Message);
        // A replace down to the limit is fine, and -1 is no limit.
        Given(History.Of("active")).When(new ServerCommand.SetMetadata(A.Owner, Items(("a", "1"), ("b", "2")), true, 2))
            .Then(new ServerMetadataSet(A.ServerId, Items(("a", "1"), ("b", "2"))));
        Given(History.Of("active")).When(new ServerCommand.SetMetadata(A.Owner, Items(("zone", "b")), false, -1))
            .Then(new ServerMetadataSet(A.ServerId, Items(("role", "web"), ("tier", "1"), ("zone", "b"))));
    }

    [Fact]
    public void Setting_what_it_already_has_records_nothing()
    {
        Given(History.Of("active")).When(new ServerCommand.SetMetadata(A.Owner, Items(("role", "web")), false, 128)).ThenNothing();
    }

    [Theory]
    [InlineData("building", "Cannot 'update metadata' instance {0} while it is in vm_state building")]
    [InlineData("error", "Cannot 'update metadata' instance {0} while it is in vm_state error")]
    [InlineData("shelved_offloaded", "Cannot 'update metadata' instance {0} while it is in vm_state shelved_offloaded")]
    [InlineData("rescued", "Cannot 'update metadata' instance {0} while it is in vm_state rescued")]
    [InlineData("active/rebooting", "Cannot 'update metadata' instance {0} while it is in task_state rebooting")]
    public void Metadata_changes_only_when_active_paused_suspended_or_stopped_with_no_task(string state, string message)
    {
        var refused = Given(History.Of(state)).When(new ServerCommand.SetMetadata(A.Owner, Items(("a", "1")), false, 128))
            .ThenThrows<ServerConflict>();
        Assert.Equal(string.Format(message, A.ServerId), refused.Message);
        Given(History.Of(state)).When(new ServerCommand.DeleteMetadataItem(A.Owner, "role")).ThenThrows<ServerConflict>();
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("stopped")]
    public void Paused_suspended_and_stopped_servers_take_metadata(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.DeleteMetadataItem(A.Owner, "tier"))
            .Then(new ServerMetadataItemDeleted(A.ServerId, "tier"));
    }

    [Fact]
    public void A_locked_server_refuses_its_owner_but_not_an_admin()
    {
        Given(History.Of("active", A.LockedByOwner())).When(new ServerCommand.SetMetadata(A.Owner, Items(("a", "1")), false, 128))
            .ThenThrows<ServerConflict>();
        Given(History.Of("active", A.LockedByOwner())).When(new ServerCommand.DeleteMetadataItem(A.ProjectAdmin, "role"))
            .Then(new ServerMetadataItemDeleted(A.ServerId, "role"));
    }

    [Fact]
    public void Deleting_a_missing_key_is_not_found_before_the_state_rules()
    {
        var missing = Given(History.Of("building")).When(new ServerCommand.DeleteMetadataItem(A.Owner, "nope")).ThenThrows<ServerItemNotFound>();
        Assert.Equal("Metadata item was not found", missing.Message);
    }

    [Fact]
    public void A_deleted_key_is_gone_from_the_state_and_a_rebuild_replaces_the_metadata()
    {
        var after = ServerDecider.Fold(History.Of("active", new ServerMetadataItemDeleted(A.ServerId, "role")))!;
        Assert.Equal(Items(("tier", "1")), after.MetadataItems);
        var rebuilt = ServerDecider.Fold(History.Of("active",
            new ServerRebuildRequested(A.ServerId, A.Host, A.Image, null, Items(("new", "yes")), false)))!;
        Assert.Equal(Items(("new", "yes")), rebuilt.MetadataItems);
    }
}
