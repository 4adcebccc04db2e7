using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Replicator.Hosting.Addressing;

/// <summary>
/// The one rule, used by vxsnd's registry and data plane and by vxrd before it programs the
/// kernel, for which addresses may be a VTEP: never unspecified, loopback, multicast, limited
/// broadcast, reserved (240/4), link-local (no VTEP address carries a scope), and never one of the
/// node's own addresses (the caller passes those: they come from the kernel's address table).
/// IPv4-mapped IPv6 addresses are judged, and stored, as the IPv4 address they carry.
/// </summary>
public static class AddressPolicy
{
    /// <summary>::ffff:a.b.c.d becomes a.b.c.d; everything else is returned as it is.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>
    /// The same for an endpoint (a dual-stack socket reports IPv4 senders as [::ffff:a.b.c.d]:port):
    /// a new endpoint only when the address is IPv4-mapped, otherwise <paramref name="endPoint"/> itself.
    /// </summary>
    public static IPEndPoint Normalize(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }

    /// <summary>The class of <paramref name="address"/> that makes it unusable, or <see cref="AddressRefusal.None"/>.</summary>
    public static AddressRefusal Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written)) return AddressRefusal.Unspecified;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 && IsLinkLocalV6(bytes))
            return AddressRefusal.LinkLocal; // a scope does not make a VTEP address out of it either
        return Classify(bytes[..written]);
    }

    /// <summary>
    /// Same rule over 4 (IPv4) or 16 (IPv6) network-order bytes, without allocating: the data plane
    /// and the registry call it per address. Any other length is <see cref="AddressRefusal.Unspecified"/>.
    /// </summary>
    public static AddressRefusal Classify(ReadOnlySpan<byte> address)
    {
        if (address.Length == 16)
        {
            if (IsIPv4Mapped(address)) return ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(address[12..]));
            return ClassifyV6(address);
        }
        return address.Length == 4 ? ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(address)) : AddressRefusal.Unspecified;
    }

    /// <summary>
    /// <see cref="Classify(IPAddress)"/>, then <see cref="AddressRefusal.Own"/> when the normalised
    /// address is in <paramref name="own"/> (the node's addresses, normalised).
    /// </summary>
    public static AddressRefusal Classify(IPAddress address, IReadOnlySet<IPAddress>? own)
    {
        var refusal = Classify(address);
        if (refusal != AddressRefusal.None || own is null || own.Count == 0) return refusal;
        return own.Contains(Normalize(address)) ? AddressRefusal.Own : AddressRefusal.None;
    }

    /// <summary>Lower-case snake tag for metrics and logs (<c>loopback</c>, <c>link_local</c>, ...).</summary>
    public static string Tag(AddressRefusal refusal) => refusal switch
    {
        AddressRefusal.None => "none",
        AddressRefusal.Unspecified => "unspecified",
        AddressRefusal.Loopback => "loopback",
        AddressRefusal.Multicast => "multicast",
        AddressRefusal.Broadcast => "broadcast",
        AddressRefusal.Reserved => "reserved",
        AddressRefusal.LinkLocal => "link_local",
        AddressRefusal.Own => "own",
        _ => "unknown",
    };

    /// <summary>A phrase for an operator: "is a loopback address".</summary>
    public static string Describe(AddressRefusal refusal) => refusal switch
    {
        AddressRefusal.None => "is usable",
        AddressRefusal.Unspecified => "is unspecified (0.0.0.0/8 or ::)",
        AddressRefusal.Loopback => "is a loopback address",
        AddressRefusal.Multicast => "is a multicast address",
        AddressRefusal.Broadcast => "is a broadcast address",
        AddressRefusal.Reserved => "is reserved (240.0.0.0/4 or IPv4-compatible ::/96)",
        AddressRefusal.LinkLocal => "is link-local (169.254.0.0/16 or fe80::/10), which needs an interface scope",
        AddressRefusal.Own => "is one of this node's own addresses",
        _ => "is refused",
    };

    private static AddressRefusal ClassifyV4(uint a)
    {
        if (a == 0xFFFF_FFFF) return AddressRefusal.Broadcast;
        return (a >> 24) switch
        {
            0 => AddressRefusal.Unspecified,
            127 => AddressRefusal.Loopback,
            >= 224 and <= 239 => AddressRefusal.Multicast,
            >= 240 => AddressRefusal.Reserved,
            169 when ((a >> 16) & 0xFF) == 254 => AddressRefusal.LinkLocal,
            _ => AddressRefusal.None,
        };
    }

    private static AddressRefusal ClassifyV6(ReadOnlySpan<byte> a)
    {
        if (a[0] == 0xFF) return AddressRefusal.Multicast;
        if (IsLinkLocalV6(a)) return AddressRefusal.LinkLocal;
        if (a[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            // ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d (RFC 4291 2.5.5.1).
            uint tail = BinaryPrimitives.ReadUInt32BigEndian(a[12..]);
            return tail switch { 0 => AddressRefusal.Unspecified, 1 => AddressRefusal.Loopback, _ => AddressRefusal.Reserved };
        }
        return AddressRefusal.None;
    }

    private static bool IsLinkLocalV6(ReadOnlySpan<byte> a) => a[0] == 0xFE && (a[1] & 0xC0) == 0x80;

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> a) =>
        a[..10].IndexOfAnyExcept((byte)0) < 0 && a[10] == 0xFF && a[11] == 0xFF;
}
