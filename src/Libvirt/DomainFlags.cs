namespace Nova.Libvirt;

/// <summary>virConnectListAllDomainsFlags. Flags come in groups; a group with no bit set does not filter.</summary>
[Flags]
public enum ListDomainsFilter : uint
{
    All = 0,
    Active = 1 << 0,
    Inactive = 1 << 1,
    Persistent = 1 << 2,
    Transient = 1 << 3,
    Running = 1 << 4,
    Paused = 1 << 5,
    Shutoff = 1 << 6,
    Other = 1 << 7,
    ManagedSave = 1 << 8,
    NoManagedSave = 1 << 9,
    Autostart = 1 << 10,
    NoAutostart = 1 << 11,
    HasSnapshot = 1 << 12,
    NoSnapshot = 1 << 13,
    HasCheckpoint = 1 << 14,
    NoCheckpoint = 1 << 15,
}

/// <summary>virDomainUndefineFlagsValues. Drivers reject flags they do not support (the test driver takes only the first two).</summary>
[Flags]
public enum UndefineOptions : uint
{
    None = 0,
    /// <summary>Also remove any managed save image.</summary>
    ManagedSave = 1 << 0,
    /// <summary>Also remove snapshot metadata (otherwise a domain with snapshots cannot be undefined).</summary>
    SnapshotsMetadata = 1 << 1,
    /// <summary>Also remove the UEFI NVRAM file (otherwise a domain with one cannot be undefined).</summary>
    Nvram = 1 << 2,
    KeepNvram = 1 << 3,
    /// <summary>Also remove checkpoint metadata.</summary>
    CheckpointsMetadata = 1 << 4,
    /// <summary>Also remove TPM state.</summary>
    Tpm = 1 << 5,
    KeepTpm = 1 << 6,
}

/// <summary>virDomainRebootFlagValues: how the guest is asked to reboot.</summary>
[Flags]
public enum RebootMethod : uint
{
    /// <summary>The hypervisor's choice.</summary>
    Default = 0,
    /// <summary>An ACPI power-button event (Nova's SOFT reboot).</summary>
    AcpiPowerButton = 1 << 0,
    GuestAgent = 1 << 1,
    Initctl = 1 << 2,
    Signal = 1 << 3,
    Paravirt = 1 << 4,
}

/// <summary>virDomainXMLFlags.</summary>
[Flags]
public enum DomainXmlOptions : uint
{
    None = 0,
    /// <summary>Include security-sensitive information (e.g. passwords).</summary>
    Secure = 1 << 0,
    /// <summary>The persistent definition rather than the live one.</summary>
    Inactive = 1 << 1,
    UpdateCpu = 1 << 2,
    Migratable = 1 << 3,
}
