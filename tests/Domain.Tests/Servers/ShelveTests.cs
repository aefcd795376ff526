using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>shelve, shelveOffload and unshelve: every step an event, the host let go of exactly once.</summary>
public class ShelveTests
{
    private static ServerCommand Shelve(Requester? by = null) => new ServerCommand.Shelve(by ?? A.Owner, A.ShelveImage);

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("paused")]
    [InlineData("suspended")]
    public void Shelve_is_allowed_from_Novas_states(string state) =>
        Given(History.Of(state)).When(Shelve()).Then(new ServerShelveRequested(A.ServerId, A.Host, A.ShelveImage));

    [Theory]
    [InlineData("error")]
    [InlineData("rescued")]
    [InlineData("shelved")]
    [InlineData("shelved_offloaded")]
    [InlineData("active/shelving")]
    [InlineData("building/spawning")]
    public void Shelve_elsewhere_is_a_conflict(string state) =>
        Given(History.Of(state)).When(Shelve()).ThenThrows<ServerConflict>();

    [Fact]
    public void The_shelve_steps_go_forward_only()
    {
        Given(History.Of("active/shelving")).When(new ServerCommand.RecordShelveStep(A.Host, TaskState.ShelvingImagePendingUpload))
            .Then(new ServerShelveStepStarted(A.ServerId, A.Host, TaskState.ShelvingImagePendingUpload));
        Given(History.Of("active/shelving_image_uploading")).When(new ServerCommand.RecordShelveStep(A.Host, TaskState.ShelvingImagePendingUpload))
            .ThenNothing();
        Given(History.Of("active")).When(new ServerCommand.RecordShelveStep(A.Host, TaskState.ShelvingImageUploading)).ThenNothing();
        var uploading = ServerDecider.Fold(History.Of("active/shelving_image_uploading"))!;
        Assert.Equal("shelving_image_uploading", NovaNames.Of(uploading.TaskState));
    }

    [Fact]
    public void Shelved_with_offload_at_once_asks_the_host_to_offload_in_the_same_decision() =>
        Given(History.Of("active/shelving_image_uploading")).When(new ServerCommand.RecordShelved(A.Host, A.ShelvedAt, OffloadNow: true))
            .Then(new ServerShelved(A.ServerId, A.Host, A.ShelveImage, A.ShelvedAt), new ServerShelveOffloadRequested(A.ServerId, A.Host));

    [Fact]
    public void Shelved_without_offload_keeps_the_server_on_its_host()
    {
        Given(History.Of("active/shelving")).When(new ServerCommand.RecordShelved(A.Host, A.ShelvedAt, OffloadNow: false))
            .Then(new ServerShelved(A.ServerId, A.Host, A.ShelveImage, A.ShelvedAt));
        var shelved = ServerDecider.Fold(History.Of("shelved"))!;
        Assert.Equal((VmState.Shelved, (TaskState?)null, PowerState.Shutdown, "SHELVED", A.Host, A.ShelveImage),
            (shelved.VmState, shelved.TaskState, shelved.PowerState, shelved.Status, shelved.Host, shelved.ShelveImageId));
    }

    [Fact]
    public void A_redelivered_shelved_report_decides_nothing() =>
        Given(History.Of("shelved")).When(new ServerCommand.RecordShelved(A.Host, A.ShelvedAt, OffloadNow: true)).ThenNothing();

    [Fact]
    public void A_failed_shelve_ends_the_task_keeps_the_state_and_forgets_the_image()
    {
        Given(History.Of("active/shelving_image_uploading")).When(new ServerCommand.RecordActionFailed(A.Host, ServerAction.Shelve, "upload failed"))
            .Then(new ServerActionFailed(A.ServerId, A.Host, ServerAction.Shelve, "upload failed"));
        var server = ServerDecider.Fold(History.Of("active/shelving_image_uploading",
            new ServerActionFailed(A.ServerId, A.Host, ServerAction.Shelve, "upload failed")))!;
        Assert.Equal((VmState.Active, (TaskState?)null, (Guid?)null), (server.VmState, server.TaskState, server.ShelveImageId));
    }

    [Fact]
    public void Shelve_offload_is_from_shelved_only_and_leaves_no_host()
    {
        Given(History.Of("shelved")).When(new ServerCommand.ShelveOffload(A.CloudAdmin)).Then(new ServerShelveOffloadRequested(A.ServerId, A.Host));
        Given(History.Of("active")).When(new ServerCommand.ShelveOffload(A.CloudAdmin)).ThenThrows<ServerConflict>();
        Given(History.Of("shelved/shelving_offloading")).When(new ServerCommand.RecordShelveOffloaded(A.Host))
            .Then(new ServerShelveOffloaded(A.ServerId, A.Host));
        var offloaded = ServerDecider.Fold(History.Of("shelved_offloaded"))!;
        Assert.Equal((VmState.ShelvedOffloaded, (string?)null, "SHELVED_OFFLOADED", "shelved_offloaded"),
            (offloaded.VmState, offloaded.Host, offloaded.Status, NovaNames.Of(offloaded.VmState)));
        Given(History.Of("shelved_offloaded")).When(new ServerCommand.RecordShelveOffloaded(A.Host)).ThenNothing();
    }

    [Fact]
    public void Unshelve_of_a_shelved_server_goes_to_its_host_and_of_an_offloaded_one_to_the_scheduler()
    {
        Given(History.Of("shelved")).When(new ServerCommand.Unshelve(A.Owner)).Then(new ServerUnshelveRequested(A.ServerId, A.Host));
        Given(History.Of("shelved_offloaded")).When(new ServerCommand.Unshelve(A.Owner)).Then(new ServerUnshelveRequested(A.ServerId, null));
        var waiting = ServerDecider.Fold(History.Of("shelved_offloaded/unshelving"))!;
        Assert.True(waiting.NeedsHost);
        Assert.False(ServerDecider.Fold(History.Of("shelved/unshelving"))!.NeedsHost);
    }

    [Theory]
    [InlineData("active")]
    [InlineData("shelved/shelving_offloading")]
    [InlineData("shelved_offloaded/unshelving")]
    public void Unshelve_elsewhere_is_a_conflict(string state) =>
        Given(History.Of(state)).When(new ServerCommand.Unshelve(A.Owner)).ThenThrows<ServerConflict>();

    [Fact]
    public void The_scheduler_places_an_offloaded_unshelve_without_touching_build_attempts()
    {
        Given(History.Of("shelved_offloaded/unshelving")).When(new ServerCommand.RecordScheduled(A.OtherHost, [A.ThirdHost], "nova"))
            .Then(new ServerUnshelveScheduled(A.ServerId, A.OtherHost, "nova"));
        var placed = ServerDecider.Fold(History.Of("shelved_offloaded/unshelving/scheduled"))!;
        Assert.Equal((A.OtherHost, 1, false), (placed.Host, placed.Attempts, placed.NeedsHost));
        // a second placement (a redelivered scheduling message) decides nothing
        Given(History.Of("shelved_offloaded/unshelving/scheduled")).When(new ServerCommand.RecordScheduled(A.Host)).ThenNothing();
    }

    [Fact]
    public void No_host_for_an_unshelve_leaves_the_server_offloaded_with_the_fault()
    {
        var fault = new ServerFault(500, ServerFault.NoValidHost);
        Given(History.Of("shelved_offloaded/unshelving")).When(new ServerCommand.RecordSchedulingFailed(fault))
            .Then(new ServerUnshelveFailed(A.ServerId, null, fault));
        var server = ServerDecider.Fold(History.Of("shelved_offloaded/unshelving", new ServerUnshelveFailed(A.ServerId, null, fault)))!;
        Assert.Equal((VmState.ShelvedOffloaded, (TaskState?)null, (string?)null, fault), (server.VmState, server.TaskState, server.Host, server.Fault));
    }

    [Fact]
    public void Unshelved_runs_on_the_new_host_and_drops_the_shelve_image()
    {
        var now = A.ShelvedAt.AddMinutes(5);
        Given(History.Of("shelved_offloaded/unshelving/scheduled")).When(new ServerCommand.RecordUnshelved(A.OtherHost, now))
            .Then(new ServerUnshelved(A.ServerId, A.OtherHost, A.ShelveImage, now));
        Given(History.Of("shelved_offloaded/unshelving/scheduled")).When(new ServerCommand.RecordUnshelved(A.Host, now)).ThenNothing();
        var server = ServerDecider.Fold(History.Of("shelved_offloaded/unshelving/scheduled",
            new ServerUnshelved(A.ServerId, A.OtherHost, A.ShelveImage, now)))!;
        Assert.Equal((VmState.Active, PowerState.Running, A.OtherHost, (Guid?)null, "ACTIVE"),
            (server.VmState, server.PowerState, server.Host, server.ShelveImageId, server.Status));
    }

    [Fact]
    public void A_failed_spawn_of_an_offloaded_server_keeps_it_offloaded_and_a_failed_power_on_keeps_it_shelved()
    {
        var fault = new ServerFault(500, "spawn failed");
        Given(History.Of("shelved_offloaded/unshelving/scheduled")).When(new ServerCommand.RecordUnshelveFailed(A.OtherHost, fault))
            .Then(new ServerUnshelveFailed(A.ServerId, A.OtherHost, fault));
        Given(History.Of("shelved/unshelving")).When(new ServerCommand.RecordUnshelveFailed(A.Host, fault))
            .Then(new ServerActionFailed(A.ServerId, A.Host, ServerAction.Unshelve, "spawn failed"));
        var shelved = ServerDecider.Fold(History.Of("shelved/unshelving", new ServerActionFailed(A.ServerId, A.Host, ServerAction.Unshelve, "x")))!;
        Assert.Equal((VmState.Shelved, (TaskState?)null, A.Host), (shelved.VmState, shelved.TaskState, shelved.Host));
    }

    [Fact]
    public void An_offloaded_server_is_deleted_locally_and_a_shelved_one_by_its_host()
    {
        Given(History.Of("shelved_offloaded")).When(A.Delete()).Then(A.DeleteRequested(null), A.Deleted());
        Given(History.Of("shelved")).When(A.Delete()).Then(A.DeleteRequested(A.Host));
    }

    [Fact]
    public void A_locked_server_cannot_be_shelved_or_unshelved_by_its_owner()
    {
        Given(History.Of("active", A.LockedByOwner())).When(Shelve()).ThenThrows<ServerConflict>();
        Given(History.Of("shelved_offloaded", A.LockedByOwner())).When(new ServerCommand.Unshelve(A.Owner)).ThenThrows<ServerConflict>();
    }
}
