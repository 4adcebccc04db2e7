using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Addressing;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// A VTEP's address as a 16-byte value: IPv6 as is, IPv4 in its IPv4-mapped form (::ffff:a.b.c.d).
/// The registry keys a million entries by it, so it is a struct with cheap hashing instead of
/// an <see cref="IPAddress"/> object per entry.
/// </summary>
internal readonly struct VtepAddress : IEquatable<VtepAddress>
{
    private const ulong MappedPrefixLow = 0x0000_FFFF_0000_0000UL;

    // Network byte order, high and low 8 bytes read big-endian.
    private readonly ulong _high;
    private readonly ulong _low;

    private VtepAddress(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    public bool IsIPv4 => _high == 0 && (_low & 0xFFFF_FFFF_0000_0000UL) == MappedPrefixLow;

    /// <summary>
    /// What <see cref="AddressPolicy"/> says of this address as a VTEP, before the node's own addresses
    /// are considered (the registry adds those): unspecified, loopback, multicast, broadcast, reserved,
    /// link-local, or <see cref="AddressRefusal.None"/>.
    /// </summary>
    public AddressRefusal Refusal
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            return AddressPolicy.Classify(bytes[..WriteBytes(bytes)]);
        }
    }

    /// <summary>
    /// Refused on every node whatever its configuration: any <see cref="Refusal"/> but loopback, which
    /// <c>AllowLoopbackVteps</c> admits for single-host tests. For checks made before the registry (CLI,
    /// static entries file, management API); the registry applies the whole rule, own addresses included.
    /// </summary>
    public bool IsUnusable => Refusal is not (AddressRefusal.None or AddressRefusal.Loopback);

    public static VtepAddress FromIPv4(uint networkOrderBigEndianValue) => new(0, MappedPrefixLow | networkOrderBigEndianValue);

    /// <summary>From 4 (IPv4) or 16 (IPv6) network-order bytes; an IPv4-mapped IPv6 address becomes IPv4.</summary>
    public static VtepAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        return bytes.Length switch
        {
            4 => FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
            16 => new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
            _ => throw new ArgumentException("an address has 4 or 16 bytes", nameof(bytes)),
        };
    }

    public static VtepAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return FromBytes(bytes[..written]);
    }

    public static bool TryParse(string? text, out VtepAddress address)
    {
        address = default;
        if (text is null || !IPAddress.TryParse(text, out var ip)) return false;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.ScopeId != 0) return false;
        if (ip.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3) return false; // "1" or "1.2" parse as IPv4 too
        address = FromIPAddress(ip);
        return true;
    }

    /// <summary>Writes 4 (IPv4) or 16 (IPv6) network-order bytes; returns the count.</summary>
    public int WriteBytes(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_low);
            return 4;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
        return 16;
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        return new IPAddress(bytes[..WriteBytes(bytes)]);
    }

    public bool Equals(VtepAddress other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is VtepAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public static bool operator ==(VtepAddress left, VtepAddress right) => left.Equals(right);

    public static bool operator !=(VtepAddress left, VtepAddress right) => !left.Equals(right);

    public override string ToString() => ToIPAddress().ToString();
}
