using System.Buffers.Binary;
using System.Text.Unicode;
using MessagePack;

namespace Replicator.Protocol.MessagePack;

/// <summary>
/// What PROTOCOL.md section 3 demands of a reader that MessagePack-CSharp's
/// <see cref="MessagePackReader"/> does not enforce: a bin is a bin (its <c>ReadBytes</c> also takes
/// str and nil), a str is valid UTF-8 (its <c>ReadString</c> substitutes U+FFFD), no length or count
/// reaches 2^31 (its <c>Skip</c> reads array32/map32 counts as negative ints), a map's pairs must fit
/// in the bytes left (it checks one byte per pair), and skipping stops at a nesting depth of 64.
/// Failures throw <see cref="MessagePackSerializationException"/>, like the library's own type errors.
/// The reader must read one contiguous buffer (a datagram or a frame), as the codec's always do.
/// </summary>
public static class Strict
{
    /// <summary>Nesting limit of <see cref="StrictSkip"/> (PROTOCOL.md 3.2).</summary>
    public const int MaxSkipDepth = 64;

    /// <summary>A map header whose pairs (two values, at least one byte each) fit in the bytes left.</summary>
    public static int StrictMapHeader(this ref MessagePackReader r)
    {
        (long count, long left) = Declared(ref r);
        if (2 * count > left) throw new MessagePackSerializationException($"map declares {count} pairs, only {left} bytes left");
        return r.ReadMapHeader();
    }

    /// <summary>An array header whose elements (at least one byte each) fit in the bytes left.</summary>
    public static int StrictArrayHeader(this ref MessagePackReader r)
    {
        (long count, long left) = Declared(ref r);
        if (count > left) throw new MessagePackSerializationException($"array declares {count} elements, only {left} bytes left");
        return r.ReadArrayHeader();
    }

    /// <summary>The payload of a bin (bin 8/16/32 only: a str or nil is refused), without copying.</summary>
    public static ReadOnlySpan<byte> StrictBinary(this ref MessagePackReader r)
    {
        if (r.NextCode is not (MessagePackCode.Bin8 or MessagePackCode.Bin16 or MessagePackCode.Bin32)) throw Expected(ref r, "bin");
        (long length, long left) = Declared(ref r);
        if (length > left) throw new MessagePackSerializationException($"bin declares {length} bytes, only {left} left");
        // The payload starts where the bytes left after the header do; Skip only advances, where
        // ReadBytes would slice the sequence (a third of a small decode's time).
        ReadOnlySpan<byte> all = r.Sequence.FirstSpan;
        r.Skip();
        return all.Slice((int)(all.Length - left), (int)length);
    }

    /// <summary>The UTF-8 payload of a str (not nil, not bin), validated, without copying.</summary>
    public static ReadOnlySpan<byte> StrictString(this ref MessagePackReader r)
    {
        byte code = r.NextCode;
        if (code is not ((>= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr) or MessagePackCode.Str8 or MessagePackCode.Str16 or MessagePackCode.Str32))
        {
            throw Expected(ref r, "str");
        }
        (long length, long left) = Declared(ref r);
        if (length > left) throw new MessagePackSerializationException($"str declares {length} bytes, only {left} left");
        r.TryReadStringSpan(out ReadOnlySpan<byte> utf8); // contiguous: always true
        if (!Utf8.IsValid(utf8)) throw new MessagePackSerializationException("str payload is not valid UTF-8");
        return utf8;
    }

    /// <summary>
    /// Skips one complete value of any type (float and ext included: a newer peer may send them
    /// under an unknown key). Iterative: at most <paramref name="maxDepth"/> non-empty containers deep.
    /// </summary>
    public static void StrictSkip(this ref MessagePackReader r, int maxDepth = MaxSkipDepth)
    {
        Span<long> pending = stackalloc long[Math.Clamp(maxDepth, 1, 256) + 1];
        int depth = 0;
        pending[0] = 1;
        while (true)
        {
            while (depth >= 0 && pending[depth] == 0) depth--;
            if (depth < 0) return;
            pending[depth]--;
            long children;
            switch (r.NextMessagePackType)
            {
                case MessagePackType.Array: children = r.StrictArrayHeader(); break;
                case MessagePackType.Map: children = 2L * r.StrictMapHeader(); break;
                default: Declared(ref r); r.Skip(); continue; // Declared refuses a str/bin/ext length >= 2^31
            }
            if (children == 0) continue;
            if (depth + 1 >= pending.Length || depth + 1 > maxDepth) throw new MessagePackSerializationException($"nesting deeper than {maxDepth}");
            pending[++depth] = children;
        }
    }

    /// <summary>
    /// The length or count a str/bin/ext/array/map header declares (0 for other values) and the bytes
    /// after the header; refuses a declared value of 2^31 or more.
    /// </summary>
    private static (long Declared, long Left) Declared(ref MessagePackReader r)
    {
        if (!r.Sequence.IsSingleSegment) throw new NotSupportedException("the strict reader reads one contiguous buffer");
        ReadOnlySpan<byte> h = r.Sequence.FirstSpan[(int)r.Consumed..];
        if (h.IsEmpty) throw new EndOfStreamException("value expected, end of data reached");
        byte code = h[0];
        int width = code switch
        {
            MessagePackCode.Str8 or MessagePackCode.Bin8 or MessagePackCode.Ext8 => 1,
            MessagePackCode.Str16 or MessagePackCode.Bin16 or MessagePackCode.Ext16 or MessagePackCode.Array16 or MessagePackCode.Map16 => 2,
            MessagePackCode.Str32 or MessagePackCode.Bin32 or MessagePackCode.Ext32 or MessagePackCode.Array32 or MessagePackCode.Map32 => 4,
            _ => 0,
        };
        if (h.Length < 1 + width) throw new EndOfStreamException($"{1 + width}-byte header truncated to {h.Length} bytes");
        long declared = width switch
        {
            1 => h[1],
            2 => BinaryPrimitives.ReadUInt16BigEndian(h[1..]),
            4 => BinaryPrimitives.ReadUInt32BigEndian(h[1..]),
            _ => code switch
            {
                >= MessagePackCode.MinFixMap and <= MessagePackCode.MaxFixArray => code & 0x0f, // fixmap, fixarray
                >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr => code & 0x1f,
                _ => 0,
            },
        };
        if (declared > int.MaxValue) throw new MessagePackSerializationException($"0x{code:x2} declares {declared}, 2^31 or more");
        return (declared, h.Length - 1 - width);
    }

    private static MessagePackSerializationException Expected(ref MessagePackReader r, string what) =>
        new($"{what} expected, found {r.NextMessagePackType} (0x{r.NextCode:x2})");
}
