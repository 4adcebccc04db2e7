using Replicator.Linux.Netlink;

namespace Replicator.Linux.Routes;

/// <summary>
/// The kernel's answer to one route lookup: the chosen <see cref="Route"/>, or the errno it refused with
/// (ENETUNREACH: no route; EHOSTUNREACH, EACCES, EINVAL: an unreachable, prohibit or blackhole route).
/// </summary>
public readonly record struct RouteLookup(NetlinkResult Status, KernelRoute? Route)
{
    public bool Found => Status.IsSuccess && Route is not null;
}
