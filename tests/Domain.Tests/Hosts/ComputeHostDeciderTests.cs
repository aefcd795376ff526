using Nova.Domain.Hosts;
using static Nova.Domain.Tests.Support.HostSpec;

namespace Nova.Domain.Tests.Hosts;

public class ComputeHostDeciderTests
{
    private const string Name = "compute-1";
    private static readonly Guid HostId = ComputeHostId.From(Name);
    private static readonly HostResources Capacity = new(Vcpus: 8, MemoryMb: 16384, DiskGb: 200);
    private static readonly Guid Server1 = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Server2 = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly HostResources Small = new(1, 2048, 20);
    private static readonly HostResources Large = new(4, 8192, 80);

    private static ComputeHostRegistered Registered(HostResources? capacity = null) =>
        new(HostId, Name, capacity ?? Capacity, capacity ?? Capacity, "QEMU", "8002000", "nova");

    // ---- report ----------------------------------------------------------------------------------

    [Fact]
    public void The_first_report_registers_the_host_under_its_name_based_id()
    {
        Given()
            .When(new ComputeHostCommand.Report(Name, Capacity, Capacity, "QEMU", "8002000"))
            .Then(new ComputeHostRegistered(ComputeHostId.From(Name), Name, Capacity, Capacity, "QEMU", "8002000", "nova"));
    }

    [Fact]
    public void A_report_with_the_same_capacity_records_nothing()
    {
        Given(Registered())
            .When(new ComputeHostCommand.Report(Name, new HostResources(8, 16384, 200), new HostResources(8, 16384, 200), "QEMU", "8002000", "nova"))
            .ThenNothing();
    }

    [Theory]
    [InlineData(16, 16384, 200)]
    [InlineData(8, 32768, 200)]
    [InlineData(8, 16384, 100)]
    public void A_report_with_another_capacity_records_the_change(int vcpus, int memoryMb, int diskGb)
    {
        var capacity = new HostResources(vcpus, memoryMb, diskGb);
        Given(Registered())
            .When(new ComputeHostCommand.Report(Name, capacity, capacity, "QEMU", "8002000", "nova"))
            .Then(new ComputeHostReconfigured(HostId, capacity, capacity, "nova"));
    }

    [Fact]
    public void A_report_back_to_the_original_capacity_after_a_change_records_the_change()
    {
        var bigger = new HostResources(16, 32768, 400);
        Given(Registered(), new ComputeHostReconfigured(HostId, bigger, bigger, "nova"))
            .When(new ComputeHostCommand.Report(Name, Capacity, Capacity, "QEMU", "8002000"))
            .Then(new ComputeHostReconfigured(HostId, Capacity, Capacity, "nova"));
    }

    [Fact]
    public void A_capacity_change_keeps_the_claims()
    {
        var host = Given(Registered(), new ResourcesClaimed(HostId, Server1, Small),
            new ComputeHostReconfigured(HostId, new HostResources(4, 8192, 100), new HostResources(4, 8192, 100), "nova")).State!;
        Assert.Equal(new HostResources(4, 8192, 100), host.Capacity);
        Assert.Equal(new HostResources(3, 6144, 80), host.Free);
    }

    [Fact]
    public void A_report_with_new_inventory_but_the_same_capacity_records_the_change()
    {
        var inventory = new HostResources(2, 4096, 200);
        Given(Registered())
            .When(new ComputeHostCommand.Report(Name, inventory, Capacity, "QEMU", "8002000", "nova"))
            .Then(new ComputeHostReconfigured(HostId, inventory, Capacity, "nova"));
    }

    // ---- claim -----------------------------------------------------------------------------------

    [Fact]
    public void A_claim_that_fits_is_recorded()
    {
        Given(Registered())
            .When(new ComputeHostCommand.Claim(Server1, Small))
            .Then(new ResourcesClaimed(HostId, Server1, Small));
    }

    [Fact]
    public void A_claim_of_exactly_the_free_resources_fits()
    {
        Given(Registered(), new ResourcesClaimed(HostId, Server1, Large))
            .When(new ComputeHostCommand.Claim(Server2, new HostResources(4, 8192, 120)))
            .Then(new ResourcesClaimed(HostId, Server2, new HostResources(4, 8192, 120)));
    }

    [Theory]
    [InlineData(5, 1, 1)]
    [InlineData(1, 8193, 1)]
    [InlineData(1, 1, 121)]
    public void A_claim_that_does_not_fit_in_any_one_resource_is_refused(int vcpus, int memoryMb, int diskGb)
    {
        var error = Given(Registered(), new ResourcesClaimed(HostId, Server1, Large))
            .When(new ComputeHostCommand.Claim(Server2, new HostResources(vcpus, memoryMb, diskGb)))
            .ThenThrows<InsufficientHostResources>();
        Assert.Contains(Name, error.Message);
    }

    [Fact]
    public void Two_claims_cannot_both_take_the_last_resources()
    {
        var request = new HostResources(8, 16384, 200);
        Given(Registered()).When(new ComputeHostCommand.Claim(Server1, request)).Then(new ResourcesClaimed(HostId, Server1, request));
        Given(Registered(), new ResourcesClaimed(HostId, Server1, request))
            .When(new ComputeHostCommand.Claim(Server2, request))
            .ThenThrows<InsufficientHostResources>();
    }

    [Fact]
    public void A_claim_on_an_unregistered_host_is_refused()
    {
        Given().When(new ComputeHostCommand.Claim(Server1, Small)).ThenThrows<InsufficientHostResources>();
    }

    [Fact]
    public void A_second_claim_for_the_same_server_records_nothing()
    {
        Given(Registered(), new ResourcesClaimed(HostId, Server1, Small))
            .When(new ComputeHostCommand.Claim(Server1, Small))
            .ThenNothing();
    }

    [Fact]
    public void A_second_claim_for_the_same_server_records_nothing_even_on_a_full_host()
    {
        var all = new HostResources(8, 16384, 200);
        Given(Registered(), new ResourcesClaimed(HostId, Server1, all))
            .When(new ComputeHostCommand.Claim(Server1, all))
            .ThenNothing();
    }

    [Theory]
    [InlineData(-1, 2048, 20)]
    [InlineData(1, -2048, 20)]
    [InlineData(1, 2048, -20)]
    [InlineData(-1, -1, -1)]
    [InlineData(int.MinValue, 0, 0)]
    public void A_claim_with_negative_resources_is_refused(int vcpus, int memoryMb, int diskGb)
    {
        Given(Registered())
            .When(new ComputeHostCommand.Claim(Server1, new HostResources(vcpus, memoryMb, diskGb)))
            .ThenThrows<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_negative_claim_cannot_make_room_on_a_full_host()
    {
        var all = new HostResources(8, 16384, 200);
        Given(Registered(), new ResourcesClaimed(HostId, Server1, all))
            .When(new ComputeHostCommand.Claim(Server2, new HostResources(-4, -8192, -100)))
            .ThenThrows<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_negative_claim_is_refused_as_invalid_even_on_an_unregistered_host()
    {
        Given().When(new ComputeHostCommand.Claim(Server1, new HostResources(-1, 0, 0))).ThenThrows<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_claim_with_no_disk_is_not_negative_and_is_recorded()
    {
        var noDisk = new HostResources(1, 512, 0);
        Given(Registered())
            .When(new ComputeHostCommand.Claim(Server1, noDisk))
            .Then(new ResourcesClaimed(HostId, Server1, noDisk));
    }

    // ---- release ---------------------------------------------------------------------------------

    [Fact]
    public void A_release_frees_what_the_server_held()
    {
        Given(Registered(), new ResourcesClaimed(HostId, Server1, Small), new ResourcesClaimed(HostId, Server2, Large))
            .When(new ComputeHostCommand.Release(Server1))
            .Then(new ClaimReleased(HostId, Server1, Small));
    }

    [Fact]
    public void A_second_release_records_nothing()
    {
        Given(Registered(), new ResourcesClaimed(HostId, Server1, Small), new ClaimReleased(HostId, Server1, Small))
            .When(new ComputeHostCommand.Release(Server1))
            .ThenNothing();
    }

    [Fact]
    public void A_release_of_a_server_never_claimed_records_nothing()
    {
        Given(Registered(), new ResourcesClaimed(HostId, Server1, Small))
            .When(new ComputeHostCommand.Release(Server2))
            .ThenNothing();
    }

    [Fact]
    public void A_release_on_an_unregistered_host_records_nothing()
    {
        Given().When(new ComputeHostCommand.Release(Server1)).ThenNothing();
    }

    [Fact]
    public void A_server_released_may_claim_again()
    {
        Given(Registered(), new ResourcesClaimed(HostId, Server1, Small), new ClaimReleased(HostId, Server1, Small))
            .When(new ComputeHostCommand.Claim(Server1, Large))
            .Then(new ResourcesClaimed(HostId, Server1, Large));
    }

    // ---- free resources --------------------------------------------------------------------------

    [Fact]
    public void A_new_host_has_all_its_capacity_free()
    {
        var host = Given(Registered()).State!;
        Assert.Equal(HostResources.None, host.Used);
        Assert.Equal(Capacity, host.Free);
    }

    [Fact]
    public void Free_resources_follow_claims_and_releases()
    {
        var afterClaims = Given(Registered(),
            new ResourcesClaimed(HostId, Server1, Small),
            new ResourcesClaimed(HostId, Server2, Large)).State!;
        Assert.Equal(new HostResources(5, 10240, 100), afterClaims.Used);
        Assert.Equal(new HostResources(3, 6144, 100), afterClaims.Free);

        var afterRelease = Given(Registered(),
            new ResourcesClaimed(HostId, Server1, Small),
            new ResourcesClaimed(HostId, Server2, Large),
            new ClaimReleased(HostId, Server2, Large)).State!;
        Assert.Equal(Small, afterRelease.Used);
        Assert.Equal(new HostResources(7, 14336, 180), afterRelease.Free);
        Assert.Equal([Server1], afterRelease.Claims.Keys);
    }

    [Fact]
    public void A_repeated_claimed_event_for_one_server_counts_once()
    {
        var host = Given(Registered(),
            new ResourcesClaimed(HostId, Server1, Small),
            new ResourcesClaimed(HostId, Server1, Small)).State!;
        Assert.Equal(Small, host.Used);
    }

    [Fact]
    public void A_later_registration_keeps_the_claims()
    {
        var host = Given(Registered(), new ResourcesClaimed(HostId, Server1, Small), Registered(new HostResources(16, 32768, 400))).State!;
        Assert.Equal(new HostResources(16, 32768, 400), host.Capacity);
        Assert.Equal(Small, host.Used);
    }

    [Fact]
    public void A_host_event_before_registration_is_refused_by_evolve()
    {
        Assert.Throws<InvalidOperationException>(() => ComputeHost.Evolve(null, new ResourcesClaimed(HostId, Server1, Small)));
    }

    [Fact]
    public void Evolve_does_not_mutate_the_previous_state()
    {
        var before = Given(Registered(), new ResourcesClaimed(HostId, Server1, Small)).State!;
        _ = ComputeHost.Evolve(before, new ResourcesClaimed(HostId, Server2, Large));
        _ = ComputeHost.Evolve(before, new ClaimReleased(HostId, Server1, Small));
        Assert.Equal([Server1], before.Claims.Keys);
    }

    // ---- zone from host aggregates ---------------------------------------------------------------

    [Fact]
    public void An_aggregate_zone_overrides_the_reported_zone_and_survives_reports()
    {
        var host = Given(Registered(), new ComputeHostZoneAssigned(HostId, "az1")).State!;
        Assert.Equal("az1", host.AvailabilityZone);

        // The host keeps reporting its configured zone "nova": nothing to record, the aggregate's zone stays.
        Given(Registered(), new ComputeHostZoneAssigned(HostId, "az1"))
            .When(new ComputeHostCommand.Report(Name, Capacity, Capacity, "QEMU", "8002000", "nova"))
            .ThenNothing();
    }

    [Fact]
    public void A_reconfigured_zone_waits_behind_the_aggregate_zone_and_takes_over_when_it_goes()
    {
        var host = Given(Registered(), new ComputeHostZoneAssigned(HostId, "az1"),
            new ComputeHostReconfigured(HostId, Capacity, Capacity, "east")).State!;
        Assert.Equal("az1", host.AvailabilityZone);

        var released = ComputeHost.Evolve(host, new ComputeHostZoneAssigned(HostId, null));
        Assert.Equal("east", released.AvailabilityZone);
    }

    [Fact]
    public void Assigning_the_zone_the_host_already_has_records_nothing()
    {
        Given(Registered(), new ComputeHostZoneAssigned(HostId, "az1"))
            .When(new ComputeHostCommand.AssignZone("az1"))
            .ThenNothing();
        Given(Registered())
            .When(new ComputeHostCommand.AssignZone("az1"))
            .Then(new ComputeHostZoneAssigned(HostId, "az1"));
    }
}
