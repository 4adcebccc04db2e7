using System.Net;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>A next-hop source the test sets by hand: each <see cref="Set"/> publishes a new version.</summary>
internal sealed class FixedNextHops : INextHopSource
{
    private long _version;

    public NextHopSnapshot Current { get; private set; } = NextHopSnapshot.Empty;

    public void Set(params NextHop[] hops) => Current = new NextHopSnapshot(++_version, hops);

    /// <summary>A usable next hop on interface <paramref name="ifIndex"/> with MACs 02:00:00:00:00:aa (egress) and <paramref name="mac"/>.</summary>
    public static NextHop Usable(IPAddress destination, int ifIndex = 7, ulong mac = 0x02_00_5E_00_00_01, int mtu = 1500) =>
        new(destination, NextHopState.Usable, ifIndex, 0x02_00_00_00_00_AA, mac, mtu, null);

    public static NextHop Unusable(IPAddress destination, NextHopState state) => new(destination, state, 0, 0, 0, 0, null);
}
