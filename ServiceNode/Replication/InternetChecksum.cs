using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// The Internet checksum (RFC 1071) for raw packet building. Sums are kept in "memory order": the
/// data is summed as native-endian words, which is valid because the one's-complement sum is
/// byte-order independent (RFC 1071 section 2(B)); the folded result is stored back natively
/// (<see cref="Write"/>) and its bytes are then the network-order checksum. Partial sums of spans
/// that start at even offsets of the summed message can be added together, which is how a
/// per-datagram base sum is adjusted per destination (RFC 1624 incremental update).
/// </summary>
internal static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running 64-bit sum. An odd trailing byte is padded with zero.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        // Two independent accumulators of 32-bit halves: no carry can overflow 64 bits for any datagram size.
        ulong a = 0, b = 0;
        for (; i + 16 <= length; i += 16)
        {
            ulong x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i));
            ulong y = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 8));
            a += (x & 0xFFFF_FFFF) + (x >> 32);
            b += (y & 0xFFFF_FFFF) + (y >> 32);
        }
        for (; i + 4 <= length; i += 4) a += Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i));
        if (i + 2 <= length)
        {
            a += Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref p, i));
            i += 2;
        }
        if (i < length)
        {
            // The odd byte is the first byte of a zero-padded 16-bit word; in memory order that is
            // the low byte on little-endian and the high byte on big-endian machines.
            a += BitConverter.IsLittleEndian ? Unsafe.Add(ref p, i) : (ulong)Unsafe.Add(ref p, i) << 8;
        }
        return sum + a + b;
    }

    /// <summary>Folds a running sum to 16 bits (memory order), not complemented.</summary>
    public static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The checksum field value (memory order) for a sum: its one's complement.</summary>
    public static ushort Complement(ulong sum) => (ushort)~Fold(sum);

    /// <summary>
    /// The UDP checksum field value (memory order): the complement, with 0 sent as 0xFFFF because 0
    /// means "no checksum" (RFC 768), which IPv6 forbids.
    /// </summary>
    public static ushort UdpField(ulong sum)
    {
        ushort c = Complement(sum);
        return c == 0 ? (ushort)0xFFFF : c;
    }

    /// <summary>Stores a memory-order 16-bit value so that its bytes are the network-order field.</summary>
    public static void Write(Span<byte> destination, ushort memoryOrderValue) => MemoryMarshal.Write(destination, in memoryOrderValue);
}
