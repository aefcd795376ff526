using Nova.Domain.Hosts;
using static Nova.Domain.Tests.Support.HostSpec;

namespace Nova.Domain.Tests.Hosts;

/// <summary>
/// The operator's switches on a compute service (disable, enable, force down, delete), the
/// build-failure count the scheduler weighs, and what a claim makes of them.
/// </summary>
public class ComputeServiceTests
{
    private const string Name = "compute-1";
    private static readonly Guid HostId = ComputeHostId.From(Name);
    private static readonly HostResources Capacity = new(Vcpus: 8, MemoryMb: 16384, DiskGb: 200);
    private static readonly Guid Server1 = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Server2 = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly HostResources Small = new(1, 2048, 20);

    private static ComputeHostRegistered Registered() => new(HostId, Name, Capacity, Capacity, "QEMU", "8002000", "nova");
    private static ComputeHostCommand.Report Report() => new(Name, Capacity, Capacity, "QEMU", "8002000", "nova");
    private static ResourcesClaimed Claimed(Guid server) => new(HostId, server, Small);
    private static ClaimReleased FailedBuildReleased(Guid server) => new(HostId, server, Small, BuildFailed: true);
    private static ComputeServiceDisabled Disabled(string? reason = "maintenance") => new(HostId, reason);
    private static ComputeServiceEnabled Enabled() => new(HostId);
    private static ComputeServiceForcedDown ForcedDown(bool down = true) => new(HostId, down);
    private static ComputeServiceDeleted Deleted() => new(HostId);

    // ---- disable / enable --------------------------------------------------------------------------

    [Theory]
    [InlineData("maintenance")]
    [InlineData(null)]
    public void Disable_an_enabled_host_records_it_with_the_reason(string? reason)
    {
        Given(Registered()).When(new ComputeHostCommand.Disable(reason)).Then(Disabled(reason));
    }

    [Theory]
    [InlineData("maintenance")]
    [InlineData(null)]
    public void Disable_again_with_the_same_reason_records_nothing(string? reason)
    {
        Given(Registered(), Disabled(reason)).When(new ComputeHostCommand.Disable(reason)).ThenNothing();
    }

    [Theory]
    [InlineData("maintenance", "hardware fault")]
    [InlineData("maintenance", null)]
    [InlineData(null, "maintenance")]
    public void Disable_a_disabled_host_with_another_reason_records_the_new_reason(string? before, string? after)
    {
        Given(Registered(), Disabled(before)).When(new ComputeHostCommand.Disable(after)).Then(Disabled(after));
        Assert.Equal(after, Given(Registered(), Disabled(before), Disabled(after)).State!.DisabledReason);
    }

    [Fact]
    public void Enable_a_disabled_host_records_it_and_clears_the_reason()
    {
        Given(Registered(), Disabled()).When(new ComputeHostCommand.Enable()).Then(Enabled());
        var host = Given(Registered(), Disabled(), Enabled()).State!;
        Assert.True(host.Enabled);
        Assert.Null(host.DisabledReason);
    }

    [Fact]
    public void Enable_an_enabled_host_records_nothing()
    {
        Given(Registered()).When(new ComputeHostCommand.Enable()).ThenNothing();
        Given(Registered(), Disabled(), Enabled()).When(new ComputeHostCommand.Enable()).ThenNothing();
    }

    [Fact]
    public void A_new_host_is_enabled_up_and_without_failures()
    {
        var host = Given(Registered()).State!;
        Assert.Equal((true, (string?)null, false, 0, false),
            (host.Enabled, host.DisabledReason, host.ForcedDown, host.RecentBuildFailures, host.Deleted));
    }

    [Fact]
    public void A_disabled_host_keeps_its_reason()
    {
        var host = Given(Registered(), Disabled("rack 4 power work")).State!;
        Assert.False(host.Enabled);
        Assert.Equal("rack 4 power work", host.DisabledReason);
    }

    // ---- force down --------------------------------------------------------------------------------

    [Fact]
    public void Force_down_an_up_host_records_it()
    {
        Given(Registered()).When(new ComputeHostCommand.ForceDown(true)).Then(ForcedDown(true));
        Assert.True(Given(Registered(), ForcedDown(true)).State!.ForcedDown);
    }

    [Fact]
    public void Force_down_again_records_nothing()
    {
        Given(Registered(), ForcedDown(true)).When(new ComputeHostCommand.ForceDown(true)).ThenNothing();
    }

    [Fact]
    public void Lifting_force_down_records_it()
    {
        Given(Registered(), ForcedDown(true)).When(new ComputeHostCommand.ForceDown(false)).Then(ForcedDown(false));
        Assert.False(Given(Registered(), ForcedDown(true), ForcedDown(false)).State!.ForcedDown);
    }

    [Fact]
    public void Lifting_force_down_on_a_host_not_forced_down_records_nothing()
    {
        Given(Registered()).When(new ComputeHostCommand.ForceDown(false)).ThenNothing();
    }

    [Fact]
    public void Force_down_and_disable_are_independent_switches()
    {
        var host = Given(Registered(), Disabled(), ForcedDown(true), Enabled()).State!;
        Assert.True(host.Enabled);
        Assert.True(host.ForcedDown);
        Given(Registered(), Disabled(), ForcedDown(true)).When(new ComputeHostCommand.ForceDown(false)).Then(ForcedDown(false));
        Assert.False(Given(Registered(), Disabled(), ForcedDown(true), ForcedDown(false)).State!.Enabled);
    }

    // ---- claims on a host that takes no builds -------------------------------------------------------

    [Fact]
    public void A_claim_on_a_disabled_host_is_refused()
    {
        var error = Given(Registered(), Disabled()).When(new ComputeHostCommand.Claim(Server1, Small)).ThenThrows<InsufficientHostResources>();
        Assert.Contains(Name, error.Message);
    }

    [Fact]
    public void A_claim_on_a_forced_down_host_is_refused()
    {
        var error = Given(Registered(), ForcedDown(true)).When(new ComputeHostCommand.Claim(Server1, Small)).ThenThrows<InsufficientHostResources>();
        Assert.Contains(Name, error.Message);
    }

    [Fact]
    public void A_claim_on_a_deleted_host_is_refused()
    {
        Given(Registered(), Deleted()).When(new ComputeHostCommand.Claim(Server1, Small)).ThenThrows<InsufficientHostResources>();
    }

    [Fact]
    public void A_claim_after_enable_or_lifting_force_down_is_accepted()
    {
        Given(Registered(), Disabled(), Enabled()).When(new ComputeHostCommand.Claim(Server1, Small)).Then(Claimed(Server1));
        Given(Registered(), ForcedDown(true), ForcedDown(false)).When(new ComputeHostCommand.Claim(Server1, Small)).Then(Claimed(Server1));
    }

    [Fact]
    public void A_claim_redelivered_after_the_host_was_disabled_records_nothing_rather_than_failing()
    {
        // the first delivery was accepted while the host was enabled: the claim stands
        Given(Registered(), Claimed(Server1), Disabled()).When(new ComputeHostCommand.Claim(Server1, Small)).ThenNothing();
    }

    [Fact]
    public void A_release_on_a_disabled_or_forced_down_host_still_frees_the_claim()
    {
        Given(Registered(), Claimed(Server1), Disabled()).When(new ComputeHostCommand.Release(Server1))
            .Then(new ClaimReleased(HostId, Server1, Small));
        Given(Registered(), Claimed(Server1), ForcedDown(true)).When(new ComputeHostCommand.Release(Server1))
            .Then(new ClaimReleased(HostId, Server1, Small));
    }

    // ---- build failures ------------------------------------------------------------------------------

    [Fact]
    public void A_release_after_a_failed_build_says_so()
    {
        Given(Registered(), Claimed(Server1)).When(new ComputeHostCommand.Release(Server1, BuildFailed: true))
            .Then(FailedBuildReleased(Server1));
    }

    [Fact]
    public void Each_failed_build_release_counts_one_recent_failure_and_frees_the_claim()
    {
        var host = Given(Registered(), Claimed(Server1), Claimed(Server2), FailedBuildReleased(Server1)).State!;
        Assert.Equal(1, host.RecentBuildFailures);
        Assert.Equal([Server2], host.Claims.Keys);

        Assert.Equal(2, Given(Registered(), Claimed(Server1), Claimed(Server2),
            FailedBuildReleased(Server1), FailedBuildReleased(Server2)).State!.RecentBuildFailures);
    }

    [Fact]
    public void An_ordinary_release_does_not_count_as_a_failure()
    {
        var host = Given(Registered(), Claimed(Server1), FailedBuildReleased(Server1), Claimed(Server2),
            new ClaimReleased(HostId, Server2, Small)).State!;
        Assert.Equal(1, host.RecentBuildFailures);
        Assert.Empty(host.Claims);
    }

    [Fact]
    public void A_failed_build_release_redelivered_records_nothing_and_counts_once()
    {
        Given(Registered(), Claimed(Server1), FailedBuildReleased(Server1))
            .When(new ComputeHostCommand.Release(Server1, BuildFailed: true))
            .ThenNothing();
    }

    [Fact]
    public void A_successful_build_clears_the_recent_failures()
    {
        var history = new object[] { Registered(), Claimed(Server1), FailedBuildReleased(Server1), Claimed(Server2) };
        Given(history).When(new ComputeHostCommand.RecordBuildSucceeded()).Then(new BuildFailuresCleared(HostId));
        var host = Given([.. history, new BuildFailuresCleared(HostId)]).State!;
        Assert.Equal(0, host.RecentBuildFailures);
        Assert.Equal([Server2], host.Claims.Keys); // the claim of the server that built stays
    }

    [Fact]
    public void A_successful_build_without_recent_failures_records_nothing()
    {
        Given(Registered(), Claimed(Server1)).When(new ComputeHostCommand.RecordBuildSucceeded()).ThenNothing();
        Given(Registered(), Claimed(Server1), FailedBuildReleased(Server1), new BuildFailuresCleared(HostId))
            .When(new ComputeHostCommand.RecordBuildSucceeded()).ThenNothing();
    }

    [Fact]
    public void A_successful_build_on_an_unregistered_host_records_nothing()
    {
        Given().When(new ComputeHostCommand.RecordBuildSucceeded()).ThenNothing();
    }

    // ---- delete --------------------------------------------------------------------------------------

    [Fact]
    public void Delete_of_a_host_that_still_holds_servers_is_refused_with_the_count()
    {
        var error = Given(Registered(), Claimed(Server1), Claimed(Server2)).When(new ComputeHostCommand.Delete()).ThenThrows<HostInUse>();
        Assert.Contains("2 instance(s)", error.Message);
        Assert.Contains(Name, error.Message);
    }

    [Fact]
    public void Delete_of_a_disabled_or_forced_down_host_with_claims_is_still_refused()
    {
        Given(Registered(), Claimed(Server1), Disabled()).When(new ComputeHostCommand.Delete()).ThenThrows<HostInUse>();
        Given(Registered(), Claimed(Server1), ForcedDown(true)).When(new ComputeHostCommand.Delete()).ThenThrows<HostInUse>();
    }

    [Fact]
    public void Delete_of_an_empty_host_records_it()
    {
        Given(Registered()).When(new ComputeHostCommand.Delete()).Then(Deleted());
        Assert.True(Given(Registered(), Deleted()).State!.Deleted);
    }

    [Fact]
    public void Delete_once_every_claim_is_released_records_it()
    {
        Given(Registered(), Claimed(Server1), Disabled(), new ClaimReleased(HostId, Server1, Small))
            .When(new ComputeHostCommand.Delete())
            .Then(Deleted());
    }

    public static TheoryData<ComputeHostCommand> OperatorCommands => new()
    {
        new ComputeHostCommand.Disable("maintenance"),
        new ComputeHostCommand.Disable(null),
        new ComputeHostCommand.Enable(),
        new ComputeHostCommand.ForceDown(true),
        new ComputeHostCommand.ForceDown(false),
        new ComputeHostCommand.Delete(),
    };

    [Theory]
    [MemberData(nameof(OperatorCommands))]
    public void An_operator_command_on_a_deleted_host_is_not_found(ComputeHostCommand command)
    {
        var error = Given(Registered(), Deleted()).When(command).ThenThrows<HostNotFound>();
        Assert.Contains(Name, error.Message);
    }

    [Theory]
    [MemberData(nameof(OperatorCommands))]
    public void An_operator_command_on_an_unknown_host_is_not_found(ComputeHostCommand command)
    {
        Given().When(command).ThenThrows<HostNotFound>();
    }

    [Fact]
    public void A_report_after_delete_registers_the_host_again()
    {
        Given(Registered(), Deleted()).When(Report()).Then(Registered());
    }

    [Fact]
    public void A_host_registered_again_after_delete_takes_claims_and_starts_afresh()
    {
        var history = new object[]
        {
            Registered(), Claimed(Server1), FailedBuildReleased(Server1), ForcedDown(true), Deleted(), Registered(),
        };
        var host = Given(history).State!;
        Assert.False(host.Deleted);
        Assert.False(host.ForcedDown);
        Assert.Equal(0, host.RecentBuildFailures);
        Assert.Empty(host.Claims);
        Given(history).When(new ComputeHostCommand.Claim(Server2, Small)).Then(Claimed(Server2));
        Given(history).When(new ComputeHostCommand.Delete()).Then(Deleted());
    }

    [Fact]
    public void A_report_on_a_live_host_never_registers_it_twice()
    {
        Given(Registered(), Disabled()).When(Report()).ThenNothing();
        Given(Registered(), ForcedDown(true)).When(Report()).ThenNothing();
    }
}
