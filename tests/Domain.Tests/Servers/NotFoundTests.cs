using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>User commands on a server that does not exist or is deleted answer 404; late host reports are dropped.</summary>
public class NotFoundTests
{
    public static TheoryData<ServerCommand> UserCommands => new()
    {
        A.Stop(),
        A.Start(),
        A.Reboot(RebootType.Soft),
        A.Reboot(RebootType.Hard),
        A.Lock(),
        A.Unlock(),
        A.Delete(),
        A.Delete(hostIsUp: false),
        A.Stop(A.CloudAdmin),
        A.Delete(A.CloudAdmin),
    };

    public static TheoryData<ServerCommand> HostReports => new()
    {
        new ServerCommand.RecordScheduled(A.Host),
        new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost)),
        new ServerCommand.RecordBuildStep(A.Host, TaskState.Networking),
        new ServerCommand.RecordBuilt(A.Host, A.Launched),
        new ServerCommand.RecordBuildFailed(A.Host, A.BuildFault),
        new ServerCommand.RecordStopped(A.Host),
        new ServerCommand.RecordStarted(A.Host),
        new ServerCommand.RecordRebooted(A.Host),
        new ServerCommand.RecordActionFailed(A.Host, ServerAction.Stop, "boom"),
        new ServerCommand.RecordDeleted(A.Host, A.Gone),
    };

    [Theory]
    [MemberData(nameof(UserCommands))]
    public void A_user_command_without_a_stream_is_not_found(ServerCommand command)
    {
        Given().When(command).ThenThrows<ServerNotFound>();
    }

    [Theory]
    [MemberData(nameof(UserCommands))]
    public void A_user_command_on_a_deleted_server_is_not_found(ServerCommand command)
    {
        var notFound = Given(History.Of("deleted")).When(command).ThenThrows<ServerNotFound>();
        Assert.Equal(A.ServerId, notFound.ServerId);
        Assert.Equal($"Instance {A.ServerId} could not be found.", notFound.Message);
    }

    [Fact]
    public void A_server_deleted_locally_before_scheduling_is_not_found_either()
    {
        Given(History.Of("building", A.DeleteRequested(host: null), A.Deleted()))
            .When(A.Stop())
            .ThenThrows<ServerNotFound>();
    }

    [Theory]
    [MemberData(nameof(HostReports))]
    public void A_host_report_without_a_stream_is_dropped(ServerCommand report)
    {
        Given().When(report).ThenNothing();
    }

    [Theory]
    [MemberData(nameof(HostReports))]
    public void A_host_report_for_a_deleted_server_is_dropped(ServerCommand report)
    {
        Given(History.Of("deleted")).When(report).ThenNothing();
    }
}
