using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Replicator.Linux.Netlink;

/// <summary>
/// Builds one request in a caller's preallocated buffer: nlmsghdr, the family header, then attributes,
/// each padded to 4 bytes with zeros; nested attributes by <see cref="BeginNested"/>/<see cref="EndNested"/>.
/// Running out of space sets <see cref="Overflowed"/> (sticky) instead of throwing; <see cref="TryFinish"/>
/// then fails, so a truncated request is never sent.
/// </summary>
/// <example>
/// <code>
/// var w = new NetlinkMessageWriter(buffer, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
/// w.WriteFamilyHeader(new ifinfomsg());
/// w.AddUInt32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_SKIP_STATS);
/// if (w.TryFinish(out int length)) send(buffer[..length]);
/// </code>
/// </example>
public ref struct NetlinkMessageWriter
{
    private static readonly int HeaderSize = Unsafe.SizeOf<nlmsghdr>();
    private static readonly int AttributeHeaderSize = Unsafe.SizeOf<rtattr>();
    private readonly Span<byte> _buffer;
    private int _length;

    public NetlinkMessageWriter(Span<byte> buffer, ushort type, ushort flags, uint sequence, uint portId = 0)
    {
        _buffer = buffer;
        _length = 0;
        Overflowed = false;
        var header = new nlmsghdr { nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = sequence, nlmsg_pid = portId };
        var span = Reserve(HeaderSize);
        if (!span.IsEmpty)
        {
            MemoryMarshal.Write(span, in header);
        }
    }

    /// <summary>True once anything did not fit; sticky.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Bytes written so far (always 4-byte aligned).</summary>
    public readonly int Length => _length;

    /// <summary>Appends the family header (ifinfomsg, ndmsg, ifaddrmsg); call once, first.</summary>
    public void WriteFamilyHeader<T>(in T header) where T : unmanaged
    {
        var span = Reserve(Unsafe.SizeOf<T>());
        if (!span.IsEmpty)
        {
            MemoryMarshal.Write(span, in header);
        }
    }

    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var span = Reserve(AttributeHeaderSize + value.Length);
        if (span.IsEmpty)
        {
            return;
        }
        var header = new rtattr { rta_len = (ushort)(AttributeHeaderSize + value.Length), rta_type = type };
        MemoryMarshal.Write(span, in header);
        value.CopyTo(span[AttributeHeaderSize..]);
    }

    public void AddUInt8(ushort type, byte value) => AddAttribute(type, [value]);

    /// <summary>A u16 in host byte order.</summary>
    public void AddUInt16(ushort type, ushort value) => AddAttribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<ushort>(in value)));

    /// <summary>A u32 in host byte order.</summary>
    public void AddUInt32(ushort type, uint value) => AddAttribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in value)));

    /// <summary>A u16 in network byte order (ports).</summary>
    public void AddUInt16BigEndian(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        AddAttribute(type, bytes);
    }

    /// <summary>A NUL-terminated string (IFLA_IFNAME, IFLA_INFO_KIND).</summary>
    public void AddString(ushort type, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        var span = Reserve(AttributeHeaderSize + count + 1);
        if (span.IsEmpty)
        {
            return;
        }
        var header = new rtattr { rta_len = (ushort)(AttributeHeaderSize + count + 1), rta_type = type };
        MemoryMarshal.Write(span, in header);
        Encoding.UTF8.GetBytes(value, span[AttributeHeaderSize..]);
    }

    /// <summary>Opens a nested attribute (NLA_F_NESTED set); returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        var span = Reserve(AttributeHeaderSize);
        if (!span.IsEmpty)
        {
            var header = new rtattr { rta_len = (ushort)AttributeHeaderSize, rta_type = (ushort)(type | Nl.NLA_F_NESTED) };
            MemoryMarshal.Write(span, in header);
        }
        return start;
    }

    /// <summary>Closes the nested attribute opened at <paramref name="start"/>: its length covers everything added since.</summary>
    public void EndNested(int start)
    {
        if (Overflowed || start < 0 || start + AttributeHeaderSize > _length)
        {
            return;
        }
        int length = _length - start;
        if (length > ushort.MaxValue)
        {
            Overflowed = true;
            return;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)length);
    }

    /// <summary>Writes nlmsg_len; false when anything overflowed.</summary>
    public bool TryFinish(out int length)
    {
        length = _length;
        if (Overflowed || _length < HeaderSize)
        {
            return false;
        }
        MemoryMarshal.Write(_buffer, (uint)_length);
        return true;
    }

    /// <summary>Reserves <paramref name="size"/> bytes plus padding, zeroed; empty (and Overflowed) when they do not fit.</summary>
    private Span<byte> Reserve(int size)
    {
        int padded = Nl.Align(size);
        if (Overflowed || padded > _buffer.Length - _length || (size > ushort.MaxValue && _length >= HeaderSize))
        {
            Overflowed = true;
            return default;
        }
        var span = _buffer.Slice(_length, padded);
        span.Clear();
        _length += padded;
        return span[..size];
    }
}
