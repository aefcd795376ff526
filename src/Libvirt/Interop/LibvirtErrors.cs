using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nova.Libvirt.Interop;

/// <summary>
/// Initialises libvirt once per process and turns its thread-local last error into exceptions.
/// </summary>
internal static unsafe class LibvirtErrors
{
    static LibvirtErrors()
    {
        // virInitialize sets up the thread-local error slot; call it before anything reads it.
        if (NativeLibvirt.virInitialize() < 0)
            throw new LibvirtException("virInitialize failed", LibvirtErrorCode.InternalError, LibvirtErrorDomain.None, "virInitialize");
        // Without a handler libvirt prints every error to stderr; errors reach callers as exceptions instead.
        NativeLibvirt.virSetErrorFunc(0, &Ignore);
    }

    /// <summary>Runs the one-time initialisation; every public entry point calls it first.</summary>
    internal static void EnsureInitialized() { }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Ignore(nint userData, nint error) { }

    internal static void ThrowIfFailed(int result, [CallerArgumentExpression(nameof(result))] string? call = null)
    {
        if (result < 0) throw Last(call);
    }

    internal static T ThrowIfInvalid<T>(T handle, [CallerArgumentExpression(nameof(handle))] string? call = null)
        where T : SafeHandle
    {
        if (!handle.IsInvalid) return handle;
        var error = Last(call);
        handle.Dispose();
        throw error;
    }

    internal static nint ThrowIfNull(nint pointer, [CallerArgumentExpression(nameof(pointer))] string? call = null)
    {
        if (pointer == 0) throw Last(call);
        return pointer;
    }

    /// <summary>
    /// Copies the calling thread's last libvirt error (the struct is reused by the next failing call) and resets it.
    /// </summary>
    internal static LibvirtException Last(string? call)
    {
        var operation = FunctionName(call);
        var error = NativeLibvirt.virGetLastError();
        if (error is null)
            return new LibvirtException($"{operation} failed without a libvirt error", LibvirtErrorCode.InternalError, LibvirtErrorDomain.None, operation);

        var code = (LibvirtErrorCode)error->Code;
        var domain = (LibvirtErrorDomain)error->Domain;
        var message = Marshal.PtrToStringUTF8(error->Message) ?? $"{operation} failed (libvirt error {error->Code})";
        NativeLibvirt.virResetLastError();
        return LibvirtException.From(message, code, domain, operation);
    }

    // "NativeLibvirt.virDomainCreate(_handle)" -> "virDomainCreate"
    private static string FunctionName(string? call)
    {
        if (string.IsNullOrEmpty(call)) return "libvirt";
        var end = call.IndexOf('(');
        var name = end < 0 ? call : call[..end];
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[(dot + 1)..];
    }
}
