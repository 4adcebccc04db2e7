using System.Runtime.InteropServices;

namespace Replicator.Linux.Netlink;

/// <summary>
/// Iterates the netlink messages in one receive buffer (a datagram may hold several), bounds-checked:
/// a message whose nlmsg_len is smaller than its header or runs past the buffer stops the iteration
/// and sets <see cref="Error"/>. Never throws.
/// </summary>
public ref struct NetlinkMessageReader
{
    private static readonly int HeaderSize = Marshal.SizeOf<nlmsghdr>();
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public NetlinkMessageReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
        Error = NetlinkReadError.None;
    }

    /// <summary>Why iteration stopped early; None when it reached the end cleanly.</summary>
    public NetlinkReadError Error { get; private set; }

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        int remaining = _buffer.Length - _offset;
        if (remaining <= 0 || Error != NetlinkReadError.None)
        {
            return false;
        }
        if (remaining < HeaderSize)
        {
            Error = NetlinkReadError.Truncated;
            return false;
        }
        var header = MemoryMarshal.Read<nlmsghdr>(_buffer[_offset..]);
        if (header.nlmsg_len < HeaderSize || header.nlmsg_len > remaining)
        {
            Error = NetlinkReadError.BadLength;
            return false;
        }
        int length = (int)header.nlmsg_len;
        message = new NetlinkMessage(header, _buffer.Slice(_offset + HeaderSize, length - HeaderSize));
        _offset = Math.Min(_buffer.Length, _offset + Nl.Align(length));
        return true;
    }
}
