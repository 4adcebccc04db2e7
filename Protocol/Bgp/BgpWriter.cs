using System.Buffers.Binary;
using System.Net;

namespace Replicator.Protocol.Bgp;

/// <summary>Big-endian writer over a fixed buffer; a write that does not fit sets <see cref="Overflowed"/> instead of throwing.</summary>
internal ref struct BgpWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;

    public int Position { get; private set; }
    public bool Overflowed { get; private set; }

    public Span<byte> Written => _buffer[..Position];

    public void WriteByte(byte value) => Take(1)[0] = value;
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);
    public void WriteUInt24(uint value)
    {
        Span<byte> s = Take(3);
        s[0] = (byte)(value >> 16);
        s[1] = (byte)(value >> 8);
        s[2] = (byte)value;
    }
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);
    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));
    public void WriteAddress(IPAddress address)
    {
        Span<byte> s = Take(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16);
        if (!Overflowed) address.TryWriteBytes(s, out _);
    }

    /// <summary>Writes a placeholder length field of 1 or 2 octets; <see cref="PatchLength"/> fills it with what follows.</summary>
    public int ReserveLength(int octets)
    {
        int at = Position;
        Take(octets).Clear();
        return at;
    }

    public void PatchLength(int at, int octets)
    {
        if (Overflowed) return;
        int length = Position - at - octets;
        if (octets == 1)
        {
            if (length > byte.MaxValue) Overflowed = true;
            else _buffer[at] = (byte)length;
        }
        else BinaryPrimitives.WriteUInt16BigEndian(_buffer[at..], (ushort)length);
    }

    private Span<byte> Take(int count)
    {
        if (Overflowed || count > _buffer.Length - Position)
        {
            Overflowed = true;
            return new byte[count]; // discarded: the message is rejected as a whole
        }
        Span<byte> s = _buffer.Slice(Position, count);
        Position += count;
        return s;
    }
}
