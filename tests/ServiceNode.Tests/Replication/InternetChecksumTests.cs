using System.Buffers.Binary;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public class InternetChecksumTests
{
    /// <summary>RFC 1071 written out plainly: big-endian 16-bit words, end-around carry, complement.</summary>
    private static ushort Reference(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            uint word = (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum += word;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    private static ushort Fast(ReadOnlySpan<byte> data)
    {
        Span<byte> field = stackalloc byte[2];
        InternetChecksum.Write(field, InternetChecksum.Complement(InternetChecksum.Add(0, data)));
        return BinaryPrimitives.ReadUInt16BigEndian(field);
    }

    [Fact]
    public void Add_RandomData_MatchesReference()
    {
        var random = new Random(1071);
        for (int round = 0; round < 2000; round++)
        {
            var data = new byte[random.Next(0, 1600)];
            random.NextBytes(data);
            if (round % 10 == 0) data.AsSpan().Fill(0xFF); // maximal carries
            Assert.Equal(Reference(data), Fast(data));
        }
    }

    [Fact]
    public void Add_SplitAtEvenOffsets_EqualsWholeSum()
    {
        var random = new Random(1624);
        for (int round = 0; round < 500; round++)
        {
            var data = new byte[random.Next(2, 1500)];
            random.NextBytes(data);
            int split = random.Next(0, data.Length / 2) * 2;
            ulong parts = InternetChecksum.Add(InternetChecksum.Add(0, data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(InternetChecksum.Fold(InternetChecksum.Add(0, data)), InternetChecksum.Fold(parts));
        }
    }

    [Fact]
    public void Add_Rfc1071Example_MatchesPublishedSum()
    {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (before complement).
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Span<byte> field = stackalloc byte[2];
        InternetChecksum.Write(field, InternetChecksum.Fold(InternetChecksum.Add(0, data)));
        Assert.Equal(0xddf2, BinaryPrimitives.ReadUInt16BigEndian(field));
    }

    [Fact]
    public void UdpField_ZeroChecksum_SentAsAllOnes()
    {
        // A sum of 0xFFFF complements to 0, which UDP must send as 0xFFFF.
        Assert.Equal(0xFFFF, InternetChecksum.UdpField(0xFFFF));
    }
}
