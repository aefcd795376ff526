using Nova.Libvirt.Tests.Support;

namespace Nova.Libvirt.Tests;

/// <summary>virDomainSuspend/Resume (Nova's pause) and managed save (Nova's suspend) through the binding.</summary>
public sealed class SuspendAndManagedSaveTests : IDisposable
{
    private const UndefineOptions TestDriverCleanup = UndefineOptions.ManagedSave | UndefineOptions.SnapshotsMetadata;

    private readonly LibvirtConnection _connection = LibvirtConnection.Open(TestDriver.Uri);

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Suspend_pauses_a_running_domain_and_resume_runs_it_again()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();

            domain.Suspend();
            Assert.Equal(DomainState.Paused, domain.GetState());

            domain.Resume();
            Assert.Equal(DomainState.Running, domain.GetState());
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Resuming_a_domain_that_is_not_paused_is_refused()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();
            Assert.ThrowsAny<LibvirtException>(domain.Resume);
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void A_managed_save_turns_the_domain_off_with_an_image_that_the_next_start_consumes()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();
            Assert.False(domain.HasManagedSaveImage);

            domain.ManagedSave();
            Assert.Equal(DomainState.Shutoff, domain.GetState());
            Assert.True(domain.HasManagedSaveImage);

            domain.Create();
            Assert.Equal(DomainState.Running, domain.GetState());
            Assert.False(domain.HasManagedSaveImage);
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void A_removed_managed_save_leaves_a_domain_that_boots_cold()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();
            domain.ManagedSave();

            domain.RemoveManagedSave();

            Assert.False(domain.HasManagedSaveImage);
            Assert.Equal(DomainState.Shutoff, domain.GetState());
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }
}
