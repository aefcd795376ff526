namespace Nova.Libvirt;

/// <summary>
/// A failed libvirt call. <see cref="Exception.Message"/> is libvirt's own message; <see cref="Code"/> and
/// <see cref="ErrorDomain"/> are its virErrorNumber and virErrorDomain; <see cref="Operation"/> names the C function.
/// </summary>
public class LibvirtException : Exception
{
    public LibvirtException(string message, LibvirtErrorCode code, LibvirtErrorDomain errorDomain, string operation)
        : base(message)
    {
        Code = code;
        ErrorDomain = errorDomain;
        Operation = operation;
    }

    public LibvirtErrorCode Code { get; }

    public LibvirtErrorDomain ErrorDomain { get; }

    public string Operation { get; }

    internal static LibvirtException From(string message, LibvirtErrorCode code, LibvirtErrorDomain domain, string operation) =>
        code switch
        {
            LibvirtErrorCode.NoDomain => new LibvirtNoSuchDomainException(message, domain, operation),
            LibvirtErrorCode.OperationInvalid => new LibvirtOperationInvalidException(message, domain, operation),
            _ => new LibvirtException(message, code, domain, operation),
        };
}

/// <summary>VIR_ERR_NO_DOMAIN: the domain is not defined, or disappeared.</summary>
public sealed class LibvirtNoSuchDomainException(string message, LibvirtErrorDomain errorDomain, string operation)
    : LibvirtException(message, LibvirtErrorCode.NoDomain, errorDomain, operation);

/// <summary>VIR_ERR_OPERATION_INVALID: not applicable in the domain's current state (e.g. starting a running domain).</summary>
public sealed class LibvirtOperationInvalidException(string message, LibvirtErrorDomain errorDomain, string operation)
    : LibvirtException(message, LibvirtErrorCode.OperationInvalid, errorDomain, operation);

/// <summary>
/// virErrorNumber (virterror.h). Only the codes a compute driver reacts to are named; any other
/// value libvirt reports is kept as its number.
/// </summary>
public enum LibvirtErrorCode
{
    Ok = 0,
    InternalError = 1,
    NoMemory = 2,
    NoSupport = 3,
    UnknownHost = 4,
    NoConnect = 5,
    InvalidConnection = 6,
    InvalidDomain = 7,
    InvalidArgument = 8,
    OperationFailed = 9,
    OsType = 16,
    XmlError = 27,
    DomainExists = 28,
    OperationDenied = 29,
    XmlDetail = 35,
    SystemError = 38,
    Rpc = 39,
    NoDomain = 42,
    AuthFailed = 45,
    OperationInvalid = 55,
    ConfigUnsupported = 67,
    OperationTimeout = 68,
    ArgumentUnsupported = 74,
    OperationAborted = 78,
    OperationUnsupported = 84,
    AgentUnresponsive = 86,
    ResourceBusy = 87,
    AccessDenied = 88,
    DBusService = 89,
    StorageVolumeExists = 90,
    CpuIncompatible = 91,
    XmlInvalidSchema = 92,
}

/// <summary>virErrorDomain (virterror.h): the part of libvirt that raised the error. Unnamed values are kept as numbers.</summary>
public enum LibvirtErrorDomain
{
    None = 0,
    Xml = 5,
    Dom = 6,
    Rpc = 7,
    Conf = 9,
    Qemu = 10,
    Test = 12,
    Remote = 13,
    Storage = 18,
    Network = 19,
    Domain = 20,
    Security = 24,
    Cpu = 31,
    Capabilities = 44,
    Uri = 45,
    Auth = 46,
    Device = 49,
    Cgroup = 54,
    Access = 55,
    Systemd = 56,
    Thread = 61,
    Logging = 63,
}
