using System.Buffers.Binary;
using System.Net;

namespace Replicator.ServiceNode.Hardening.RateLimiting;

/// <summary>
/// A source address as one 128-bit value, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), so that a
/// VTEP reaching a dual-stack socket over IPv4 is one source. Computed without allocation.
/// </summary>
internal static class SourceKey
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xffff << 32;

    public static UInt128 From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written)) return 0;
        return From(bytes[..written]);
    }

    /// <summary>From 4 (IPv4) or 16 (IPv6) network-order bytes; other lengths give 0.</summary>
    public static UInt128 From(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(address),
        16 => BinaryPrimitives.ReadUInt128BigEndian(address),
        _ => 0,
    };

    /// <summary>The address a key stands for (logs and tests; allocates).</summary>
    public static IPAddress ToAddress(UInt128 key)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
