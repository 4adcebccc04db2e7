using System.Buffers.Binary;
using System.Diagnostics;
using Replicator.Protocol.Bgp;
using Xunit.Abstractions;

namespace Replicator.Protocol.Tests.Bgp;

/// <summary>
/// 1,000,000 messages mutated from the captured FRR/GoBGP ones (Captures/*.hex and <see cref="BgpSamples"/>) (bit flips, truncation, length
/// fields overwritten, attributes spliced in from another message; a fixed seed): the decoder
/// throws for none, and each one is counted as decoded, treat-as-withdraw or one typed error.
/// </summary>
public class BgpDecoderFuzzTests(ITestOutputHelper output)
{
    private const int Messages = 1_000_000;
    private const int Seed = 20261130;
    private static readonly byte[][] Seeds = [.. BgpCaptures.All.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value), .. BgpSamples.All];

    [Fact]
    public void Decode_MillionMutatedMessages_NoExceptionEveryOneCounted()
    {
        var random = new Random(Seed);
        var outcomes = new Dictionary<string, int>();
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < Messages; i++)
        {
            byte[] message = Mutate(random);
            BgpDecodeResult result = BgpCodec.Decode(message);
            string outcome = result switch
            {
                { Message: BgpUpdateMessage { AttributeError: not BgpDecodeError.None } u } => $"treat-as-withdraw {u.AttributeError}",
                { Message: { } m } => $"decoded {m.Type}",
                _ => $"error {result.Error}",
            };
            Assert.True(result.Message is not null ^ result.Error != BgpDecodeError.None, outcome);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        stopwatch.Stop();
        foreach ((string outcome, int count) in outcomes.OrderByDescending(o => o.Value))
            output.WriteLine($"{count,9:N0}  {outcome}");
        output.WriteLine($"{Messages:N0} messages in {stopwatch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(Messages, outcomes.Values.Sum());
        // The mutations reach every layer: the header, OPEN, UPDATE attributes, EVPN NLRI.
        Assert.Contains(outcomes, o => o.Key == "decoded Update" && o.Value > 10_000);
        Assert.Contains(outcomes, o => o.Key == "decoded Open" && o.Value > 1_000);
        Assert.Contains("error MalformedMpReach", outcomes.Keys);
        Assert.Contains("error BadMessageLength", outcomes.Keys);
        Assert.Contains(outcomes.Keys, k => k.StartsWith("treat-as-withdraw", StringComparison.Ordinal));
    }

    private static byte[] Mutate(Random random)
    {
        byte[] seed = Seeds[random.Next(Seeds.Length)];
        byte[] message = random.Next(4) switch
        {
            0 => FlipBits(seed, random),
            1 => Truncate(seed, random),
            2 => CorruptLength(seed, random),
            _ => Splice(seed, random),
        };
        // Half the time the header length is made right, so the body's own checks are what fails.
        if (random.Next(2) == 0 && message.Length >= BgpConstants.HeaderLength)
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(16), (ushort)message.Length);
        return message;
    }

    private static byte[] FlipBits(byte[] seed, Random random)
    {
        byte[] message = (byte[])seed.Clone();
        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            // Mostly past the marker: a flipped marker stops at the first check.
            int at = random.Next(8) == 0 ? random.Next(message.Length) : 16 + random.Next(message.Length - 16);
            message[at] ^= (byte)(1 << random.Next(8));
        }
        return message;
    }

    private static byte[] Truncate(byte[] seed, Random random) => seed[..random.Next(seed.Length)];

    /// <summary>Overwrites one or two octets past the header with a value near a length's range.</summary>
    private static byte[] CorruptLength(byte[] seed, Random random)
    {
        byte[] message = (byte[])seed.Clone();
        if (message.Length <= BgpConstants.HeaderLength) return message;
        int at = BgpConstants.HeaderLength + random.Next(message.Length - BgpConstants.HeaderLength);
        int value = random.Next(3) switch { 0 => random.Next(256), 1 => message[at] + random.Next(-3, 4), _ => 0xff };
        message[at] = (byte)value;
        if (random.Next(2) == 0 && at + 1 < message.Length) message[at + 1] = (byte)random.Next(256);
        return message;
    }

    /// <summary>Inserts a slice of another message into an UPDATE's attributes and fixes the attribute length.</summary>
    private static byte[] Splice(byte[] seed, Random random)
    {
        if (seed[18] != (byte)BgpMessageType.Update || seed.Length < BgpConstants.MinUpdateLength) return FlipBits(seed, random);
        byte[] donor = Seeds[random.Next(Seeds.Length)];
        int from = BgpConstants.HeaderLength + random.Next(donor.Length - BgpConstants.HeaderLength);
        int count = Math.Min(1 + random.Next(40), donor.Length - from);
        int withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(seed.AsSpan(19));
        int attributesAt = 23 + withdrawnLength;
        int attributesLength = BinaryPrimitives.ReadUInt16BigEndian(seed.AsSpan(21 + withdrawnLength));
        int insertAt = attributesAt + random.Next(attributesLength + 1);
        byte[] message = [.. seed.AsSpan(0, insertAt), .. donor.AsSpan(from, count), .. seed.AsSpan(insertAt)];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(21 + withdrawnLength), (ushort)(attributesLength + count));
        return message;
    }
}
