using System.Buffers.Binary;

namespace Replicator.Protocol.Vxlan;

/// <summary>Why a datagram is not a usable VXLAN header.</summary>
public enum VxlanParseError
{
    None = 0,
    /// <summary>Fewer than 8 bytes.</summary>
    TooShort,
    /// <summary>The I flag (valid VNI) is clear.</summary>
    MissingIFlag,
}

/// <summary>
/// The 8-byte VXLAN header (RFC 7348 section 5):
/// <code>
///  0                   1                   2                   3
/// |R|R|R|R|I|R|R|R|            Reserved                           |
/// |                VXLAN Network Identifier (VNI) |   Reserved    |
/// </code>
/// Reserved bits are ignored on read and written as zero.
/// </summary>
public readonly record struct VxlanHeader(uint Vni)
{
    public const int Size = 8;
    public const uint MaxVni = 0xFF_FFFF;
    private const byte IFlag = 0x08;

    /// <summary>Parses without throwing; hot-path safe.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out VxlanHeader header, out VxlanParseError error)
    {
        header = default;
        if (datagram.Length < Size)
        {
            error = VxlanParseError.TooShort;
            return false;
        }
        if ((datagram[0] & IFlag) == 0)
        {
            error = VxlanParseError.MissingIFlag;
            return false;
        }
        header = new VxlanHeader(BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) >> 8);
        error = VxlanParseError.None;
        return true;
    }

    /// <summary>Writes the header with only the I flag set; <paramref name="destination"/> needs 8 bytes.</summary>
    public void Write(Span<byte> destination)
    {
        if (Vni > MaxVni) throw new ArgumentOutOfRangeException(nameof(Vni), Vni, "VNI must be 0..16777215");
        if (destination.Length < Size) throw new ArgumentException("needs 8 bytes", nameof(destination));
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)IFlag << 24);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Vni << 8);
    }
}
