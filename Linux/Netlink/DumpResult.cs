namespace Replicator.Linux.Netlink;

/// <summary>A dump's outcome and what it returned (empty unless <see cref="NetlinkResult.IsSuccess"/>).</summary>
public readonly record struct DumpResult<T>(NetlinkResult Status, IReadOnlyList<T> Items)
{
    public bool IsSuccess => Status.IsSuccess;
}
