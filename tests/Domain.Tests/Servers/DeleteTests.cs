using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>
/// Delete: the host tears the server down when it is up; with no host, or the host down,
/// the API deletes locally as Nova does.
/// </summary>
public class DeleteTests
{
    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("building/spawning")]
    public void With_its_host_up_only_the_request_is_recorded(string state)
    {
        Given(History.Of(state)).When(A.Delete(hostIsUp: true)).Then(new ServerDeleteRequested(A.ServerId, A.Host));
    }

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("building/spawning")]
    public void With_its_host_down_the_delete_completes_at_once(string state)
    {
        Given(History.Of(state))
            .When(A.Delete(hostIsUp: false))
            .Then(new ServerDeleteRequested(A.ServerId, A.Host), new ServerDeleted(A.ServerId, A.Gone));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void With_no_host_the_delete_completes_at_once_whatever_the_host_flag(bool hostIsUp)
    {
        Given(History.Of("building"))
            .When(A.Delete(hostIsUp: hostIsUp))
            .Then(new ServerDeleteRequested(A.ServerId, null), new ServerDeleted(A.ServerId, A.Gone));
    }

    [Theory]
    [InlineData("active/deleting")]
    [InlineData("building/deleting")]
    public void Delete_while_already_deleting_records_nothing(string state)
    {
        Given(History.Of(state)).When(A.Delete(hostIsUp: true)).ThenNothing();
    }

    [Fact]
    public void Delete_while_deleting_on_a_host_that_went_down_finishes_locally()
    {
        // current behaviour, and Nova's: a delete stuck on a dead host can be completed by deleting again
        Given(History.Of("active/deleting"))
            .When(A.Delete(hostIsUp: false))
            .Then(new ServerDeleteRequested(A.ServerId, A.Host), new ServerDeleted(A.ServerId, A.Gone));
    }

    [Fact]
    public void A_delete_request_sets_task_deleting_and_keeps_the_vm_state()
    {
        var server = Given(History.Of("active", A.DeleteRequested())).State!;
        Assert.Equal((VmState.Active, TaskState.Deleting, PowerState.Running), (server.VmState, server.TaskState, server.PowerState));
        Assert.Equal("ACTIVE", server.Status);
    }

    [Fact]
    public void A_completed_delete_leaves_a_deleted_server_with_its_termination_time()
    {
        var server = Given(History.Of("active/deleting", A.Deleted())).State!;
        Assert.Equal((VmState.Deleted, (TaskState?)null, PowerState.NoState), (server.VmState, server.TaskState, server.PowerState));
        Assert.Equal(A.Gone, server.TerminatedAt);
        Assert.Equal("DELETED", server.Status);
    }
}
