using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Native;

/// <summary>struct timeval (sys/time.h): 16 bytes on LP64; the value of SO_RCVTIMEO / SO_SNDTIMEO.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct timeval
{
    public nint tv_sec;
    public nint tv_usec;
}
