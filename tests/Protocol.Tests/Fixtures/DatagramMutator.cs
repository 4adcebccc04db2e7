namespace Replicator.Protocol.Tests.Fixtures;

/// <summary>
/// Seeded hostile datagrams made from valid seeds, with the strategies of the fuzz tool
/// (tests/Benchmarks/Hardening/Tools/FuzzDatagrams.cs): unchanged, random bytes, bit flips, interesting
/// bytes, truncation, extension, splices, widened lengths, a valid header over garbage. The same
/// seed gives the same sequence; nothing is allocated per datagram.
/// </summary>
internal sealed class DatagramMutator(int seed, IReadOnlyList<byte[]> seeds)
{
    public const int MaxDatagramBytes = 1500;

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xff, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd4, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0x56, 0x52];

    private readonly Random _random = new(seed);

    /// <summary>Writes the next datagram into <paramref name="destination"/> (at least <see cref="MaxDatagramBytes"/>); returns its length.</summary>
    public int Next(Span<byte> destination)
    {
        byte[] s = seeds[_random.Next(seeds.Count)];
        int length;
        switch (_random.Next(10))
        {
            case 0:
                s.CopyTo(destination);
                return s.Length;
            case 1:
                length = _random.Next(4) == 0 ? _random.Next(80) : _random.Next(MaxDatagramBytes + 1);
                _random.NextBytes(destination[..length]);
                return length;
            case 2:
                s.CopyTo(destination);
                for (int i = 1 + _random.Next(8); i > 0; i--) destination[_random.Next(s.Length)] ^= (byte)(1 << _random.Next(8));
                return s.Length;
            case 3:
            case 4:
                // Twice as likely: type and length bytes are where two readers can disagree.
                s.CopyTo(destination);
                for (int i = 1 + _random.Next(4); i > 0; i--) destination[5 + _random.Next(s.Length - 5)] = Interesting[_random.Next(Interesting.Length)];
                return s.Length;
            case 5:
                length = _random.Next(s.Length);
                s.AsSpan(0, length).CopyTo(destination);
                return length;
            case 6:
                s.CopyTo(destination);
                length = Math.Min(MaxDatagramBytes, s.Length + 1 + _random.Next(200));
                _random.NextBytes(destination[s.Length..length]);
                return length;
            case 7:
            {
                byte[] other = seeds[_random.Next(seeds.Count)];
                int head = _random.Next(s.Length + 1);
                int tail = _random.Next(other.Length + 1);
                length = Math.Min(MaxDatagramBytes, head + other.Length - tail);
                s.AsSpan(0, head).CopyTo(destination);
                other.AsSpan(tail, length - head).CopyTo(destination[head..]);
                return length;
            }
            case 8:
                s.CopyTo(destination);
                int at = _random.Next(s.Length);
                destination.Slice(at, Math.Min(1 + _random.Next(4), s.Length - at)).Fill(0xff);
                return s.Length;
            default:
                length = 5 + _random.Next(MaxDatagramBytes - 5);
                _random.NextBytes(destination[..length]);
                s.AsSpan(0, 5).CopyTo(destination);
                destination[4] = (byte)_random.Next(4);
                return length;
        }
    }
}
