using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>os-resetState: an admin's repair of a stuck record; the task is cleared, nothing goes to the host.</summary>
public class ResetStateTests
{
    [Theory]
    [InlineData("active/powering-off", VmState.Active)]
    [InlineData("active/rebooting_hard", VmState.Error)]
    [InlineData("stopped", VmState.Active)]
    public void An_admin_resets_a_server_to_active_or_error_with_no_task(string state, VmState to)
    {
        var spec = Given(History.Of(state)).When(new ServerCommand.ResetState(A.CloudAdmin, to));
        spec.Then(new ServerStateReset(A.ServerId, to));
        var after = Server.Evolve(spec.State, new ServerStateReset(A.ServerId, to));
        Assert.Equal(to, after.VmState);
        Assert.Null(after.TaskState);
    }

    [Fact]
    public void A_locked_server_is_reset_too()
    {
        Given(History.Of("active", A.LockedByOwner())).When(new ServerCommand.ResetState(A.CloudAdmin, VmState.Error))
            .Then(new ServerStateReset(A.ServerId, VmState.Error));
    }

    [Fact]
    public void Only_an_admin_resets()
    {
        Given(History.Of("active")).When(new ServerCommand.ResetState(A.Owner, VmState.Error)).ThenThrows<ArgumentException>();
    }

    [Fact]
    public void A_deleted_server_cannot_be_reset()
    {
        Given(History.Of("deleted")).When(new ServerCommand.ResetState(A.CloudAdmin, VmState.Active)).ThenThrows<ServerNotFound>();
    }
}
