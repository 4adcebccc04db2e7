namespace Replicator.Linux.Netlink;

/// <summary>
/// A dump stayed inconsistent (NLM_F_DUMP_INTR) after every retry: the kernel table kept changing
/// while it was read. Thrown only where a caller cannot take a <see cref="NetlinkResult"/> (the link
/// watcher's event stream); the request/response APIs return <see cref="NetlinkResult.DumpInterrupted"/>.
/// </summary>
public sealed class DumpInterruptedException(string what, int attempts)
    : Exception($"{what}: dump interrupted (NLM_F_DUMP_INTR) {attempts} times in a row")
{
    public int Attempts { get; } = attempts;
}
