using System.Runtime.InteropServices;

namespace Replicator.Linux.Netlink;

/// <summary>
/// Iterates the attributes of a message or of a nested attribute, bounds-checked: a length that
/// runs past the buffer or is smaller than the header stops the iteration and sets <see cref="Error"/>.
/// </summary>
public ref struct NetlinkAttributeReader
{
    private static readonly int HeaderSize = Marshal.SizeOf<rtattr>();
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public NetlinkAttributeReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
        Error = NetlinkReadError.None;
    }

    /// <summary>Why iteration stopped early; None when it reached the end cleanly.</summary>
    public NetlinkReadError Error { get; private set; }

    public bool TryRead(out NetlinkAttribute attribute)
    {
        attribute = default;
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
        var header = MemoryMarshal.Read<rtattr>(_buffer[_offset..]);
        if (header.rta_len < HeaderSize || header.rta_len > remaining)
        {
            Error = NetlinkReadError.BadLength;
            return false;
        }
        attribute = new NetlinkAttribute(header.rta_type, _buffer.Slice(_offset + HeaderSize, header.rta_len - HeaderSize));
        // The last attribute may omit its padding; never step past the end.
        _offset = Math.Min(_buffer.Length, _offset + Nl.Align(header.rta_len));
        return true;
    }

    /// <summary>Finds the first attribute of <paramref name="type"/> (flag bits ignored) from the current position.</summary>
    public bool TryFind(ushort type, out NetlinkAttribute attribute)
    {
        while (TryRead(out attribute))
        {
            if (attribute.Type == type)
            {
                return true;
            }
        }
        attribute = default;
        return false;
    }
}
