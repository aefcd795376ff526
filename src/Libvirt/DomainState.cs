namespace Nova.Libvirt;

/// <summary>virDomainState (libvirt-domain.h).</summary>
public enum DomainState
{
    NoState = 0,
    Running = 1,
    Blocked = 2,
    Paused = 3,
    /// <summary>Being shut down (not yet off).</summary>
    Shutdown = 4,
    Shutoff = 5,
    Crashed = 6,
    /// <summary>Suspended by guest power management.</summary>
    PMSuspended = 7,
}
