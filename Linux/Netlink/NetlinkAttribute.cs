using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Replicator.Linux.Netlink;

/// <summary>One attribute (struct rtattr + value) inside a received message; a view, no copy.</summary>
public readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        RawType = rawType;
        Value = value;
    }

    /// <summary>rta_type as received, including NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    public ushort RawType { get; }

    /// <summary>The attribute type without flag bits (NLA_TYPE_MASK).</summary>
    public ushort Type => (ushort)(RawType & Nl.NLA_TYPE_MASK);

    /// <summary>The value, without header and padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Reader over the attributes nested in this one (IFLA_LINKINFO, IFLA_INFO_DATA, ...).</summary>
    public NetlinkAttributeReader Nested => new(Value);

    public bool TryGetUInt8(out byte value)
    {
        value = Value.Length >= 1 ? Value[0] : default;
        return Value.Length >= 1;
    }

    /// <summary>A u16 in host byte order (netlink's default).</summary>
    public bool TryGetUInt16(out ushort value) => MemoryMarshal.TryRead(Value, out value);

    /// <summary>A u32 in host byte order (netlink's default).</summary>
    public bool TryGetUInt32(out uint value) => MemoryMarshal.TryRead(Value, out value);

    public bool TryGetInt32(out int value) => MemoryMarshal.TryRead(Value, out value);

    /// <summary>A u16 in network byte order (ports: IFLA_VXLAN_PORT, NDA_PORT).</summary>
    public bool TryGetUInt16BigEndian(out ushort value) => BinaryPrimitives.TryReadUInt16BigEndian(Value, out value);

    /// <summary>A NUL-terminated string (or one that fills the value); allocates.</summary>
    public string GetString()
    {
        int end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }

    /// <summary>True when the value equals <paramref name="text"/> (ASCII, NUL terminator optional), without allocating.</summary>
    public bool ValueEquals(ReadOnlySpan<byte> text)
    {
        var v = Value;
        int end = v.IndexOf((byte)0);
        return (end < 0 ? v : v[..end]).SequenceEqual(text);
    }
}
