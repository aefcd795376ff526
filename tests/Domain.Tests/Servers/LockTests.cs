using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>Nova's lock rules: a locked server answers 409 to non-admins; only an admin lifts an admin's lock.</summary>
public class LockTests
{
    public static TheoryData<string, ServerCommand> GuardedCommands(Requester by) => new()
    {
        { "active", A.Stop(by) },
        { "active", A.Reboot(RebootType.Soft, by) },
        { "active", A.Reboot(RebootType.Hard, by) },
        { "stopped", A.Start(by) },
        { "stopped", A.Reboot(RebootType.Hard, by) },
        { "active", A.Delete(by) },
        { "active", A.Delete(by, hostIsUp: false) },
        { "building", A.Delete(by) },
    };

    public static TheoryData<string, ServerCommand> ByOwner => GuardedCommands(A.Owner);
    public static TheoryData<string, ServerCommand> ByOtherProjectMember => GuardedCommands(A.OtherUserSameProject);
    public static TheoryData<string, ServerCommand> ByProjectAdmin => GuardedCommands(A.ProjectAdmin);
    public static TheoryData<string, ServerCommand> ByCloudAdmin => GuardedCommands(A.CloudAdmin);

    [Theory]
    [MemberData(nameof(ByOwner))]
    [MemberData(nameof(ByOtherProjectMember))]
    public void A_locked_server_refuses_non_admins(string state, ServerCommand command)
    {
        Given(History.Of(state, A.LockedByOwner())).When(command).ThenThrows<ServerConflict>();
    }

    [Theory]
    [MemberData(nameof(ByOwner))]
    public void The_same_commands_are_accepted_once_unlocked(string state, ServerCommand command)
    {
        var events = ServerDecider.Decide(command, ServerDecider.Fold(History.Of(state, A.LockedByOwner(), A.Unlocked())));
        Assert.NotEmpty(events);
    }

    [Theory]
    [MemberData(nameof(ByProjectAdmin))]
    [MemberData(nameof(ByCloudAdmin))]
    public void An_admin_overrides_the_lock(string state, ServerCommand command)
    {
        var events = ServerDecider.Decide(command, ServerDecider.Fold(History.Of(state, A.LockedByAdmin())));
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(A.ServerId, ((IServerEvent)e).ServerId));
    }

    [Fact]
    public void An_admin_stop_of_a_locked_server_is_an_ordinary_stop()
    {
        Given(History.Of("active", A.LockedByOwner())).When(A.Stop(A.CloudAdmin)).Then(A.StopRequested());
    }

    [Fact]
    public void The_locked_conflict_uses_novas_wording()
    {
        var conflict = Given(History.Of("active", A.LockedByOwner())).When(A.Stop()).ThenThrows<ServerConflict>();
        Assert.Equal($"Instance {A.ServerId} is locked", conflict.Message);
    }

    [Fact]
    public void The_lock_is_checked_before_the_state()
    {
        // stop of a stopped server would be an invalid-state conflict; the lock answers first, as in Nova
        var conflict = Given(History.Of("stopped", A.LockedByOwner())).When(A.Stop()).ThenThrows<ServerConflict>();
        Assert.Equal($"Instance {A.ServerId} is locked", conflict.Message);
    }

    [Fact]
    public void An_admin_still_gets_the_state_conflict_on_a_locked_server()
    {
        var conflict = Given(History.Of("stopped", A.LockedByOwner())).When(A.Stop(A.CloudAdmin)).ThenThrows<ServerConflict>();
        Assert.Equal($"Cannot 'stop' instance {A.ServerId} while it is in vm_state stopped", conflict.Message);
    }

    // ---- who the lock is recorded as ---------------------------------------------------------------

    [Fact]
    public void A_lock_by_the_owner_is_an_owner_lock()
    {
        Given(History.Of("active")).When(A.Lock(A.Owner, "mine")).Then(new ServerLocked(A.ServerId, "owner", "mine"));
    }

    [Fact]
    public void A_lock_by_an_admin_of_the_servers_own_project_is_an_owner_lock()
    {
        Given(History.Of("active")).When(A.Lock(A.ProjectAdmin)).Then(new ServerLocked(A.ServerId, "owner", null));
    }

    [Fact]
    public void A_lock_by_an_admin_of_another_project_is_an_admin_lock()
    {
        Given(History.Of("active")).When(A.Lock(A.CloudAdmin, "incident")).Then(new ServerLocked(A.ServerId, "admin", "incident"));
    }

    [Fact]
    public void Locking_a_locked_server_changes_nothing()
    {
        Given(History.Of("active", A.LockedByOwner("first"))).When(A.Lock(A.CloudAdmin, "second")).ThenNothing();
    }

    [Fact]
    public void Lock_records_who_and_why_in_the_state()
    {
        var server = Given(History.Of("active", A.LockedByAdmin("incident"))).State!;
        Assert.Equal((true, "admin", "incident"), (server.Locked, server.LockedBy, server.LockedReason));

        var unlocked = Given(History.Of("active", A.LockedByAdmin("incident"), A.Unlocked())).State!;
        Assert.Equal((false, (string?)null, (string?)null), (unlocked.Locked, unlocked.LockedBy, unlocked.LockedReason));
    }

    // ---- unlock ------------------------------------------------------------------------------------

    [Fact]
    public void Unlocking_an_unlocked_server_changes_nothing()
    {
        Given(History.Of("active")).When(A.Unlock()).ThenNothing();
    }

    [Fact]
    public void Unlocking_an_unlocked_server_after_a_previous_unlock_changes_nothing()
    {
        Given(History.Of("active", A.LockedByOwner(), A.Unlocked())).When(A.Unlock()).ThenNothing();
    }

    [Fact]
    public void A_non_admin_cannot_lift_an_admin_lock()
    {
        var conflict = Given(History.Of("active", A.LockedByAdmin())).When(A.Unlock(A.Owner)).ThenThrows<ServerConflict>();
        Assert.Equal($"Instance {A.ServerId} is locked", conflict.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_admin_lifts_an_admin_lock(bool sameProject)
    {
        Given(History.Of("active", A.LockedByAdmin()))
            .When(A.Unlock(sameProject ? A.ProjectAdmin : A.CloudAdmin))
            .Then(A.Unlocked());
    }

    [Fact]
    public void An_admin_lifts_an_owner_lock()
    {
        Given(History.Of("active", A.LockedByOwner())).When(A.Unlock(A.CloudAdmin)).Then(A.Unlocked());
    }

    [Fact]
    public void A_project_member_lifts_an_owner_lock()
    {
        Given(History.Of("active", A.LockedByOwner())).When(A.Unlock(A.OtherUserSameProject)).Then(A.Unlocked());
    }
}
