using System.Net;

namespace Replicator.Linux.Routes;

/// <summary>
/// One route as rtnetlink reports it (RTM_NEWROUTE / RTM_DELROUTE, AF_INET or AF_INET6): a table entry from a
/// dump or notification, or the kernel's answer to a lookup (<see cref="RouteClient.Lookup"/>), which names the
/// one path it chose. <c>ip route show</c> / <c>ip route get</c> print the same fields.
/// </summary>
public sealed record KernelRoute
{
    /// <summary>RTA_DST with rtmsg.rtm_dst_len; the family's zero address for a default route.</summary>
    public required IPAddress Destination { get; init; }

    /// <summary>rtmsg.rtm_dst_len.</summary>
    public required int PrefixLength { get; init; }

    /// <summary>rtmsg.rtm_type.</summary>
    public required RouteType Type { get; init; }

    /// <summary>RTA_TABLE, else rtmsg.rtm_table (254 is main).</summary>
    public uint Table { get; init; }

    /// <summary>rtmsg.rtm_protocol (RTPROT_*: kernel, boot, static, a routing daemon's).</summary>
    public byte Protocol { get; init; }

    /// <summary>rtmsg.rtm_scope (RT_SCOPE_*).</summary>
    public byte Scope { get; init; }

    /// <summary>rtmsg.rtm_flags (RTM_F_*).</summary>
    public uint Flags { get; init; }

    /// <summary>RTA_OIF: the egress interface; 0 when absent (unreachable routes, multipath table entries).</summary>
    public int OutputInterface { get; init; }

    /// <summary>RTA_GATEWAY, or the address of RTA_VIA (a gateway of the other family); null on a connected route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>RTA_PREFSRC: the source address the kernel would choose.</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>RTAX_MTU in RTA_METRICS; 0 when the route sets none (the interface's MTU applies).</summary>
    public int Mtu { get; init; }

    /// <summary>RTA_PRIORITY (the metric).</summary>
    public uint Priority { get; init; }

    /// <summary>True when the entry has RTA_MULTIPATH (several next hops; a lookup answers with the chosen one).</summary>
    public bool IsMultipath { get; init; }

    /// <summary>True when <paramref name="address"/> (same family) lies in <see cref="Destination"/>/<see cref="PrefixLength"/>.</summary>
    public bool Covers(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != Destination.AddressFamily)
        {
            return false;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> d = stackalloc byte[16];
        address.TryWriteBytes(a, out int length);
        Destination.TryWriteBytes(d, out _);
        int bits = Math.Clamp(PrefixLength, 0, length * 8);
        int whole = bits / 8;
        if (!a[..whole].SequenceEqual(d[..whole]))
        {
            return false;
        }
        int rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }
        byte mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (d[whole] & mask);
    }

    public override string ToString() =>
        $"{Type} {Destination}/{PrefixLength}{(Gateway is null ? "" : $" via {Gateway}")} dev {OutputInterface} table {Table}{(Mtu > 0 ? $" mtu {Mtu}" : "")}";
}
