using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>
/// Test fixture: the pre-MessagePack-CSharp code, the reference of the differential test and the
/// codec benchmark (see <see cref="LegacyControlDecoder"/>); never compiled into production.
/// Writes MessagePack (msgpack/msgpack spec.md) into a <see cref="Span{T}"/> or an
/// <see cref="IBufferWriter{T}"/>, always choosing the smallest encoding of each value.
/// Only the types the control protocol needs: nil, bool, integers, str, bin, array, map.
/// Writing past the end of a span throws <see cref="LegacyMessagePackException"/>
/// (<see cref="LegacyMessagePackError.BufferTooSmall"/>).
/// </summary>
internal ref struct LegacyMessagePackWriter
{
    private readonly Span<byte> _span;
    private readonly IBufferWriter<byte>? _output;
    private int _written;

    /// <summary>Writes into <paramref name="destination"/>; <see cref="BytesWritten"/> tells how much was used.</summary>
    public LegacyMessagePackWriter(Span<byte> destination)
    {
        _span = destination;
        _output = null;
        _written = 0;
    }

    /// <summary>Writes into <paramref name="output"/>, advancing it after every value.</summary>
    public LegacyMessagePackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _span = default;
        _output = output;
        _written = 0;
    }

    public readonly int BytesWritten => _written;

    public void WriteNil() => WriteByte(LegacyMessagePackCode.Nil);

    public void WriteBoolean(bool value) => WriteByte(value ? LegacyMessagePackCode.True : LegacyMessagePackCode.False);

    public void WriteUInt64(ulong value)
    {
        int size = LegacyMessagePackSize.UnsignedInteger(value);
        Span<byte> d = Reserve(size);
        switch (size)
        {
            case 1: d[0] = (byte)value; break;
            case 2: d[0] = LegacyMessagePackCode.UInt8; d[1] = (byte)value; break;
            case 3: d[0] = LegacyMessagePackCode.UInt16; BinaryPrimitives.WriteUInt16BigEndian(d[1..], (ushort)value); break;
            case 5: d[0] = LegacyMessagePackCode.UInt32; BinaryPrimitives.WriteUInt32BigEndian(d[1..], (uint)value); break;
            default: d[0] = LegacyMessagePackCode.UInt64; BinaryPrimitives.WriteUInt64BigEndian(d[1..], value); break;
        }
        Commit(size);
    }

    public void WriteUInt32(uint value) => WriteUInt64(value);

    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteUInt64((ulong)value);
            return;
        }
        int size = LegacyMessagePackSize.SignedInteger(value);
        Span<byte> d = Reserve(size);
        switch (size)
        {
            case 1: d[0] = (byte)(sbyte)value; break;
            case 2: d[0] = LegacyMessagePackCode.Int8; d[1] = (byte)(sbyte)value; break;
            case 3: d[0] = LegacyMessagePackCode.Int16; BinaryPrimitives.WriteInt16BigEndian(d[1..], (short)value); break;
            case 5: d[0] = LegacyMessagePackCode.Int32; BinaryPrimitives.WriteInt32BigEndian(d[1..], (int)value); break;
            default: d[0] = LegacyMessagePackCode.Int64; BinaryPrimitives.WriteInt64BigEndian(d[1..], value); break;
        }
        Commit(size);
    }

    /// <summary>Writes a str; <paramref name="value"/> is encoded as UTF-8 (lone surrogates throw, as UTF-8 cannot carry them).</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = StrictUtf8.GetByteCount(value);
        WriteStringHeader(length);
        Span<byte> d = Reserve(length);
        StrictUtf8.GetBytes(value, d);
        Commit(length);
    }

    /// <summary>Writes a str whose payload is already UTF-8 (not re-validated).</summary>
    public void WriteString(scoped ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    public void WriteStringHeader(int utf8Length)
    {
        int size = LegacyMessagePackSize.StringHeader(utf8Length);
        Span<byte> d = Reserve(size);
        switch (size)
        {
            case 1: d[0] = (byte)(LegacyMessagePackCode.MinFixStr | utf8Length); break;
            case 2: d[0] = LegacyMessagePackCode.Str8; d[1] = (byte)utf8Length; break;
            case 3: d[0] = LegacyMessagePackCode.Str16; BinaryPrimitives.WriteUInt16BigEndian(d[1..], (ushort)utf8Length); break;
            default: d[0] = LegacyMessagePackCode.Str32; BinaryPrimitives.WriteUInt32BigEndian(d[1..], (uint)utf8Length); break;
        }
        Commit(size);
    }

    public void WriteBinary(scoped ReadOnlySpan<byte> value)
    {
        WriteBinaryHeader(value.Length);
        WriteRaw(value);
    }

    public void WriteBinaryHeader(int length)
    {
        int size = LegacyMessagePackSize.BinaryHeader(length);
        Span<byte> d = Reserve(size);
        switch (size)
        {
            case 2: d[0] = LegacyMessagePackCode.Bin8; d[1] = (byte)length; break;
            case 3: d[0] = LegacyMessagePackCode.Bin16; BinaryPrimitives.WriteUInt16BigEndian(d[1..], (ushort)length); break;
            default: d[0] = LegacyMessagePackCode.Bin32; BinaryPrimitives.WriteUInt32BigEndian(d[1..], (uint)length); break;
        }
        Commit(size);
    }

    public void WriteArrayHeader(int count) =>
        WriteCollectionHeader(count, LegacyMessagePackCode.MinFixArray, LegacyMessagePackCode.Array16, LegacyMessagePackCode.Array32);

    public void WriteMapHeader(int count) =>
        WriteCollectionHeader(count, LegacyMessagePackCode.MinFixMap, LegacyMessagePackCode.Map16, LegacyMessagePackCode.Map32);

    /// <summary>Copies already-encoded MessagePack (or a str/bin payload after its header).</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        Span<byte> d = Reserve(bytes.Length);
        bytes.CopyTo(d);
        Commit(bytes.Length);
    }

    private void WriteCollectionHeader(int count, byte fix, byte code16, byte code32)
    {
        int size = LegacyMessagePackSize.ArrayHeader(count);
        Span<byte> d = Reserve(size);
        switch (size)
        {
            case 1: d[0] = (byte)(fix | count); break;
            case 3: d[0] = code16; BinaryPrimitives.WriteUInt16BigEndian(d[1..], (ushort)count); break;
            default: d[0] = code32; BinaryPrimitives.WriteUInt32BigEndian(d[1..], (uint)count); break;
        }
        Commit(size);
    }

    private void WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        Commit(1);
    }

    private readonly Span<byte> Reserve(int size)
    {
        if (_output is not null)
        {
            return _output.GetSpan(size)[..size];
        }
        if (_span.Length - _written < size)
        {
            throw new LegacyMessagePackException(LegacyMessagePackError.BufferTooSmall, _written,
                $"{size} more bytes needed, only {_span.Length - _written} left in the destination");
        }
        return _span.Slice(_written, size);
    }

    private void Commit(int size)
    {
        _output?.Advance(size);
        _written += size;
    }

    // Throws on lone surrogates instead of silently writing U+FFFD: a node identifier must round-trip.
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
