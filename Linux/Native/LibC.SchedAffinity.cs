using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    /// <summary>sched_setaffinity(2): <paramref name="tid"/> 0 is the calling thread; the mask is a cpu_set_t of <paramref name="size"/> bytes.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int sched_setaffinity(int tid, nuint size, ulong* mask);

    /// <summary>Binds thread <paramref name="tid"/> (0: the caller) to CPUs 0-63 set in <paramref name="cpus"/>; threads it creates later inherit the mask.</summary>
    public static Errno SetAffinity(int tid, ulong cpus)
        => sched_setaffinity(tid, sizeof(ulong), &cpus) == 0 ? Errno.SUCCESS : LastErrno;
}
