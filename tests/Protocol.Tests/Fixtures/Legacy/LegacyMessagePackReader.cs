using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>
/// Test fixture: the pre-MessagePack-CSharp code, the reference of the differential test and the
/// codec benchmark (see <see cref="LegacyControlDecoder"/>); never compiled into production.
/// Reads MessagePack (msgpack/msgpack spec.md) from a span. Every legal encoding of a value is
/// accepted, including non-minimal ones (5 as uint64, a 3-byte str as str32). Every declared
/// length or element count is checked against the bytes that remain before the caller can act on
/// it, so a hostile header (array32 claiming 2^32-1 elements) fails at once and nothing large is
/// allocated. Failures throw <see cref="LegacyMessagePackException"/> and nothing else; on failure the
/// position is left unchanged.
/// </summary>
internal ref struct LegacyMessagePackReader
{
    /// <summary>Default nesting limit for <see cref="Skip"/>; the protocol nests three deep.</summary>
    public const int DefaultMaxDepth = 64;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public LegacyMessagePackReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Offset of the next value from the start of the buffer.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool End => _position >= _buffer.Length;

    /// <summary>The type family of the next value, without consuming it.</summary>
    public readonly LegacyMessagePackType PeekType()
    {
        byte code = PeekCode();
        return code switch
        {
            <= LegacyMessagePackCode.MaxPositiveFixInt or >= LegacyMessagePackCode.MinNegativeFixInt => LegacyMessagePackType.Integer,
            <= LegacyMessagePackCode.MaxFixMap => LegacyMessagePackType.Map,
            <= LegacyMessagePackCode.MaxFixArray => LegacyMessagePackType.Array,
            <= LegacyMessagePackCode.MaxFixStr => LegacyMessagePackType.String,
            LegacyMessagePackCode.Nil => LegacyMessagePackType.Nil,
            LegacyMessagePackCode.False or LegacyMessagePackCode.True => LegacyMessagePackType.Boolean,
            LegacyMessagePackCode.Bin8 or LegacyMessagePackCode.Bin16 or LegacyMessagePackCode.Bin32 => LegacyMessagePackType.Binary,
            LegacyMessagePackCode.Float32 or LegacyMessagePackCode.Float64 => LegacyMessagePackType.Float,
            >= LegacyMessagePackCode.UInt8 and <= LegacyMessagePackCode.Int64 => LegacyMessagePackType.Integer,
            LegacyMessagePackCode.Str8 or LegacyMessagePackCode.Str16 or LegacyMessagePackCode.Str32 => LegacyMessagePackType.String,
            LegacyMessagePackCode.Array16 or LegacyMessagePackCode.Array32 => LegacyMessagePackType.Array,
            LegacyMessagePackCode.Map16 or LegacyMessagePackCode.Map32 => LegacyMessagePackType.Map,
            LegacyMessagePackCode.Ext8 or LegacyMessagePackCode.Ext16 or LegacyMessagePackCode.Ext32
                or (>= LegacyMessagePackCode.FixExt1 and <= LegacyMessagePackCode.FixExt16) => LegacyMessagePackType.Extension,
            _ => LegacyMessagePackType.Unknown, // 0xc1
        };
    }

    /// <summary>Consumes a nil and returns true, or returns false (consuming nothing) for any other value.</summary>
    public bool TryReadNil()
    {
        if (PeekCode() != LegacyMessagePackCode.Nil) return false;
        _position++;
        return true;
    }

    public void ReadNil()
    {
        if (!TryReadNil()) throw Unexpected("nil");
    }

    public bool ReadBoolean()
    {
        byte code = PeekCode();
        if (code is not (LegacyMessagePackCode.True or LegacyMessagePackCode.False)) throw Unexpected("bool");
        _position++;
        return code == LegacyMessagePackCode.True;
    }

    /// <summary>Reads any integer encoding whose value is 0..2^64-1.</summary>
    public ulong ReadUInt64()
    {
        int start = _position;
        if (!TryReadInteger(out ulong magnitude, out bool negative, out int size)) throw Unexpected("integer");
        if (negative) throw new LegacyMessagePackException(LegacyMessagePackError.IntegerOutOfRange, start, $"negative integer {(long)magnitude} where unsigned expected");
        _position += size;
        return magnitude;
    }

    public uint ReadUInt32() => (uint)ReadUnsigned(uint.MaxValue, "uint32");

    public ushort ReadUInt16() => (ushort)ReadUnsigned(ushort.MaxValue, "uint16");

    public byte ReadByte() => (byte)ReadUnsigned(byte.MaxValue, "uint8");

    /// <summary>Reads any integer encoding whose value is -2^63..2^63-1.</summary>
    public long ReadInt64()
    {
        int start = _position;
        if (!TryReadInteger(out ulong raw, out bool negative, out int size)) throw Unexpected("integer");
        if (!negative && raw > long.MaxValue) throw new LegacyMessagePackException(LegacyMessagePackError.IntegerOutOfRange, start, $"integer {raw} does not fit in int64");
        _position += size;
        return (long)raw;
    }

    /// <summary>Reads a float32 or float64 (the protocol sends none; a newer peer might, under an unknown key).</summary>
    public double ReadDouble()
    {
        byte code = PeekCode();
        if (code == LegacyMessagePackCode.Float32)
        {
            Need(5);
            double value = BinaryPrimitives.ReadSingleBigEndian(_buffer[(_position + 1)..]);
            _position += 5;
            return value;
        }
        if (code == LegacyMessagePackCode.Float64)
        {
            Need(9);
            double value = BinaryPrimitives.ReadDoubleBigEndian(_buffer[(_position + 1)..]);
            _position += 9;
            return value;
        }
        throw Unexpected("float");
    }

    /// <summary>Reads a value at most <paramref name="max"/>, naming <paramref name="what"/> on failure.</summary>
    public ulong ReadUnsigned(ulong max, string what)
    {
        int start = _position;
        ulong value = ReadUInt64();
        if (value > max)
        {
            _position = start;
            throw new LegacyMessagePackException(LegacyMessagePackError.IntegerOutOfRange, start, $"{what} {value} exceeds maximum {max}");
        }
        return value;
    }

    /// <summary>The UTF-8 payload of a str, validated, without copying.</summary>
    public ReadOnlySpan<byte> ReadStringSpan()
    {
        int start = _position;
        byte code = PeekCode();
        int headerSize;
        long length;
        if (code is >= LegacyMessagePackCode.MinFixStr and <= LegacyMessagePackCode.MaxFixStr) { headerSize = 1; length = code & 0x1f; }
        else if (code == LegacyMessagePackCode.Str8) { headerSize = 2; length = ReadLength(1, 1); }
        else if (code == LegacyMessagePackCode.Str16) { headerSize = 3; length = ReadLength(1, 2); }
        else if (code == LegacyMessagePackCode.Str32) { headerSize = 5; length = ReadLength(1, 4); }
        else throw Unexpected("str");
        ReadOnlySpan<byte> payload = Payload(start, headerSize, length, "str");
        if (!Utf8.IsValid(payload)) throw new LegacyMessagePackException(LegacyMessagePackError.InvalidUtf8, start, "str payload is not valid UTF-8");
        _position = start + headerSize + (int)length;
        return payload;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadStringSpan());

    /// <summary>The payload of a bin, without copying.</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        int start = _position;
        byte code = PeekCode();
        int headerSize;
        long length;
        if (code == LegacyMessagePackCode.Bin8) { headerSize = 2; length = ReadLength(1, 1); }
        else if (code == LegacyMessagePackCode.Bin16) { headerSize = 3; length = ReadLength(1, 2); }
        else if (code == LegacyMessagePackCode.Bin32) { headerSize = 5; length = ReadLength(1, 4); }
        else throw Unexpected("bin");
        ReadOnlySpan<byte> payload = Payload(start, headerSize, length, "bin");
        _position = start + headerSize + (int)length;
        return payload;
    }

    /// <summary>
    /// Reads an array header. The count is guaranteed not to exceed <see cref="Remaining"/>
    /// (every element takes at least one byte), so it is safe to size a collection from it.
    /// </summary>
    public int ReadArrayHeader()
    {
        int start = _position;
        byte code = PeekCode();
        int headerSize;
        long count;
        if (code is >= LegacyMessagePackCode.MinFixArray and <= LegacyMessagePackCode.MaxFixArray) { headerSize = 1; count = code & 0x0f; }
        else if (code == LegacyMessagePackCode.Array16) { headerSize = 3; count = ReadLength(1, 2); }
        else if (code == LegacyMessagePackCode.Array32) { headerSize = 5; count = ReadLength(1, 4); }
        else throw Unexpected("array");
        CheckCount(start, headerSize, count, 1, "array");
        _position = start + headerSize;
        return (int)count;
    }

    /// <summary>Reads a map header; the count of key/value pairs is at most <see cref="Remaining"/>/2.</summary>
    public int ReadMapHeader()
    {
        int start = _position;
        byte code = PeekCode();
        int headerSize;
        long count;
        if (code is >= LegacyMessagePackCode.MinFixMap and <= LegacyMessagePackCode.MaxFixMap) { headerSize = 1; count = code & 0x0f; }
        else if (code == LegacyMessagePackCode.Map16) { headerSize = 3; count = ReadLength(1, 2); }
        else if (code == LegacyMessagePackCode.Map32) { headerSize = 5; count = ReadLength(1, 4); }
        else throw Unexpected("map");
        CheckCount(start, headerSize, count, 2, "map");
        _position = start + headerSize;
        return (int)count;
    }

    /// <summary>
    /// Skips one complete value of any type (including float and ext, which the protocol does
    /// not use but a newer peer may send under an unknown key). Iterative, bounded by
    /// <paramref name="maxDepth"/>; on failure the position is unchanged.
    /// </summary>
    public void Skip(int maxDepth = DefaultMaxDepth)
    {
        int start = _position;
        try
        {
            // Pending values per open container; counts are bounded by the remaining bytes.
            Span<long> pending = stackalloc long[Math.Clamp(maxDepth, 1, 256) + 1];
            int depth = 0;
            pending[0] = 1;
            while (true)
            {
                while (depth >= 0 && pending[depth] == 0) depth--;
                if (depth < 0) return;
                pending[depth]--;
                switch (PeekType())
                {
                    case LegacyMessagePackType.Array:
                    case LegacyMessagePackType.Map:
                        bool isMap = PeekType() == LegacyMessagePackType.Map;
                        long children = isMap ? 2L * ReadMapHeader() : ReadArrayHeader();
                        if (children == 0) break;
                        if (depth + 1 >= pending.Length || depth + 1 > maxDepth)
                        {
                            throw new LegacyMessagePackException(LegacyMessagePackError.DepthExceeded, _position, $"nesting deeper than {maxDepth}");
                        }
                        pending[++depth] = children;
                        break;
                    default:
                        SkipScalar();
                        break;
                }
            }
        }
        catch (LegacyMessagePackException)
        {
            _position = start;
            throw;
        }
    }

    private void SkipScalar()
    {
        int start = _position;
        byte code = PeekCode();
        long size;
        switch (code)
        {
            case <= LegacyMessagePackCode.MaxPositiveFixInt or >= LegacyMessagePackCode.MinNegativeFixInt:
            case LegacyMessagePackCode.Nil or LegacyMessagePackCode.True or LegacyMessagePackCode.False:
                size = 1; break;
            case >= LegacyMessagePackCode.MinFixStr and <= LegacyMessagePackCode.MaxFixStr:
                size = 1 + (code & 0x1f); break;
            case LegacyMessagePackCode.Str8 or LegacyMessagePackCode.Bin8: size = 2 + ReadLength(1, 1); break;
            case LegacyMessagePackCode.Str16 or LegacyMessagePackCode.Bin16: size = 3 + ReadLength(1, 2); break;
            case LegacyMessagePackCode.Str32 or LegacyMessagePackCode.Bin32: size = 5 + ReadLength(1, 4); break;
            case LegacyMessagePackCode.UInt8 or LegacyMessagePackCode.Int8: size = 2; break;
            case LegacyMessagePackCode.UInt16 or LegacyMessagePackCode.Int16: size = 3; break;
            case LegacyMessagePackCode.UInt32 or LegacyMessagePackCode.Int32 or LegacyMessagePackCode.Float32: size = 5; break;
            case LegacyMessagePackCode.UInt64 or LegacyMessagePackCode.Int64 or LegacyMessagePackCode.Float64: size = 9; break;
            case LegacyMessagePackCode.FixExt1: size = 3; break;
            case LegacyMessagePackCode.FixExt2: size = 4; break;
            case LegacyMessagePackCode.FixExt4: size = 6; break;
            case LegacyMessagePackCode.FixExt8: size = 10; break;
            case LegacyMessagePackCode.FixExt16: size = 18; break;
            case LegacyMessagePackCode.Ext8: size = 3 + ReadLength(1, 1); break;
            case LegacyMessagePackCode.Ext16: size = 4 + ReadLength(1, 2); break;
            case LegacyMessagePackCode.Ext32: size = 6 + ReadLength(1, 4); break;
            default:
                throw new LegacyMessagePackException(LegacyMessagePackError.ReservedFormat, start, $"format byte 0x{code:x2} is never used");
        }
        if (size > Remaining)
        {
            // Fixed-size values are simply cut short; a declared length that overshoots is the sender's claim.
            bool declared = code is (>= LegacyMessagePackCode.MinFixStr and <= LegacyMessagePackCode.MaxFixStr)
                or (>= LegacyMessagePackCode.Bin8 and <= LegacyMessagePackCode.Ext32) or (>= LegacyMessagePackCode.Str8 and <= LegacyMessagePackCode.Str32);
            throw new LegacyMessagePackException(declared ? LegacyMessagePackError.LengthExceedsBuffer : LegacyMessagePackError.EndOfData, start,
                $"value of {size} bytes, only {Remaining} left");
        }
        _position += (int)size;
    }

    private readonly bool TryReadInteger(out ulong raw, out bool negative, out int size)
    {
        byte code = PeekCode();
        ReadOnlySpan<byte> b = _buffer[_position..];
        negative = false;
        raw = 0;
        switch (code)
        {
            case <= LegacyMessagePackCode.MaxPositiveFixInt: raw = code; size = 1; return true;
            case >= LegacyMessagePackCode.MinNegativeFixInt: raw = (ulong)(long)(sbyte)code; negative = true; size = 1; return true;
            case LegacyMessagePackCode.UInt8: size = 2; Need(size); raw = b[1]; return true;
            case LegacyMessagePackCode.UInt16: size = 3; Need(size); raw = BinaryPrimitives.ReadUInt16BigEndian(b[1..]); return true;
            case LegacyMessagePackCode.UInt32: size = 5; Need(size); raw = BinaryPrimitives.ReadUInt32BigEndian(b[1..]); return true;
            case LegacyMessagePackCode.UInt64: size = 9; Need(size); raw = BinaryPrimitives.ReadUInt64BigEndian(b[1..]); return true;
            case LegacyMessagePackCode.Int8: size = 2; Need(size); return Signed((sbyte)b[1], out raw, out negative);
            case LegacyMessagePackCode.Int16: size = 3; Need(size); return Signed(BinaryPrimitives.ReadInt16BigEndian(b[1..]), out raw, out negative);
            case LegacyMessagePackCode.Int32: size = 5; Need(size); return Signed(BinaryPrimitives.ReadInt32BigEndian(b[1..]), out raw, out negative);
            case LegacyMessagePackCode.Int64: size = 9; Need(size); return Signed(BinaryPrimitives.ReadInt64BigEndian(b[1..]), out raw, out negative);
            default: size = 0; return false;
        }
    }

    private static bool Signed(long value, out ulong raw, out bool negative)
    {
        raw = (ulong)value;
        negative = value < 0;
        return true;
    }

    private readonly byte PeekCode()
    {
        if (_position >= _buffer.Length) throw new LegacyMessagePackException(LegacyMessagePackError.EndOfData, _position, "value expected, end of data reached");
        return _buffer[_position];
    }

    private readonly void Need(int size)
    {
        if (Remaining < size) throw new LegacyMessagePackException(LegacyMessagePackError.EndOfData, _position, $"{size}-byte value truncated to {Remaining} bytes");
    }

    /// <summary>Reads a big-endian length of <paramref name="width"/> bytes at <paramref name="offset"/> past the format byte.</summary>
    private readonly long ReadLength(int offset, int width)
    {
        Need(offset + width);
        ReadOnlySpan<byte> b = _buffer.Slice(_position + offset, width);
        return width switch
        {
            1 => b[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(b),
            _ => BinaryPrimitives.ReadUInt32BigEndian(b),
        };
    }

    private readonly ReadOnlySpan<byte> Payload(int start, int headerSize, long length, string what)
    {
        long available = _buffer.Length - start - headerSize;
        if (length > available)
        {
            throw new LegacyMessagePackException(LegacyMessagePackError.LengthExceedsBuffer, start,
                $"{what} declares {length} bytes, only {available} left");
        }
        return _buffer.Slice(start + headerSize, (int)length);
    }

    private readonly void CheckCount(int start, int headerSize, long count, int minBytesPerElement, string what)
    {
        long available = _buffer.Length - start - headerSize;
        if (count * minBytesPerElement > available)
        {
            throw new LegacyMessagePackException(LegacyMessagePackError.LengthExceedsBuffer, start,
                $"{what} declares {count} elements, only {available} bytes left");
        }
    }

    private readonly LegacyMessagePackException Unexpected(string expected)
    {
        LegacyMessagePackType actual = PeekType();
        if (actual == LegacyMessagePackType.Unknown)
        {
            return new LegacyMessagePackException(LegacyMessagePackError.ReservedFormat, _position, $"format byte 0x{_buffer[_position]:x2} is never used, {expected} expected");
        }
        return new LegacyMessagePackException(LegacyMessagePackError.UnexpectedType, _position, $"{expected} expected, found {actual} (0x{_buffer[_position]:x2})");
    }
}
