namespace Replicator.Linux.Native;

/// <summary>
/// A failed libc call at an API boundary (start-up, management), carrying the typed errno.
/// The interop layer itself never throws; callers decide when an errno becomes an exception.
/// </summary>
public sealed class NativeException(string operation, Errno errno)
    : Exception($"{operation} failed: {errno} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)errno)})")
{
    public string Operation { get; } = operation;
    public Errno Errno { get; } = errno;
}
