using System.Buffers.Binary;
using System.Net;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>
/// Seeded generator of hostile datagrams: random bytes, and mutations (bit flips, interesting
/// bytes, truncation, extension, splices, header-valid garbage bodies) of valid control messages
/// (Register, PeerList, Sync; unsigned and signed with <em>the fuzzer's own</em> keys, which the
/// daemon under test must not accept) and of valid VXLAN datagrams. The same seed gives the same
/// sequence. No allocation per datagram; documentation addresses only in the seeds.
/// </summary>
public sealed class FuzzDatagrams
{
    public const int MaxDatagramBytes = 1500;

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xc0, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd9, 0xdc, 0xdd, 0xde, 0xdf, 0x56, 0x52, 0x08];

    private readonly Random _random;
    private readonly byte[][] _control;
    private readonly byte[][] _data;

    /// <param name="seed">Determines the whole sequence.</param>
    /// <param name="foreignKeys">Keys to sign some seeds with (the daemon must not hold them); null: a random ring.</param>
    /// <param name="ownAddresses">
    /// The addresses the datagrams are sent from: half the Register seeds then name one of them only,
    /// so that some unsigned registrations (which may name nothing but their source address) reach
    /// the registry when they leave from that address. Null or empty: documentation addresses only.
    /// </param>
    public FuzzDatagrams(int seed, AuthKeyRing? foreignKeys = null, IReadOnlyList<IPAddress>? ownAddresses = null)
    {
        _random = new Random(seed);
        foreignKeys ??= new AuthKeyRing([new(1, AuthKeyRing.GenerateKey()), new(7, AuthKeyRing.GenerateKey())], 1);
        _control = [.. ControlSeeds(_random, foreignKeys, ownAddresses ?? [])];
        _data = [.. VxlanSeeds(_random)];
    }

    /// <summary>Datagrams made per strategy, control and data together.</summary>
    public long[] Counts { get; } = new long[Enum.GetValues<FuzzStrategy>().Length];

    public int ControlSeedCount => _control.Length;

    /// <summary>Writes the next hostile control datagram into <paramref name="destination"/> (at least <see cref="MaxDatagramBytes"/>); returns its length.</summary>
    public int NextControl(Span<byte> destination) => Next(_control, destination, control: true);

    /// <summary>Writes the next hostile VXLAN datagram; returns its length.</summary>
    public int NextData(Span<byte> destination) => Next(_data, destination, control: false);

    private int Next(byte[][] seeds, Span<byte> destination, bool control)
    {
        byte[] seed = seeds[_random.Next(seeds.Length)];
        var strategy = (FuzzStrategy)_random.Next(Counts.Length);
        Counts[(int)strategy]++;
        int length;
        switch (strategy)
        {
            case FuzzStrategy.Random:
                length = _random.Next(4) == 0 ? _random.Next(80) : _random.Next(MaxDatagramBytes + 1);
                _random.NextBytes(destination[..length]);
                return length;
            case FuzzStrategy.Unchanged:
                seed.CopyTo(destination);
                return seed.Length;
            case FuzzStrategy.BitFlips:
                seed.CopyTo(destination);
                for (int i = 1 + _random.Next(8); i > 0; i--) destination[_random.Next(seed.Length)] ^= (byte)(1 << _random.Next(8));
                return seed.Length;
            case FuzzStrategy.InterestingBytes:
                seed.CopyTo(destination);
                for (int i = 1 + _random.Next(4); i > 0; i--) destination[_random.Next(seed.Length)] = Interesting[_random.Next(Interesting.Length)];
                return seed.Length;
            case FuzzStrategy.Truncated:
                length = _random.Next(seed.Length);
                seed.AsSpan(0, length).CopyTo(destination);
                return length;
            case FuzzStrategy.Extended:
                seed.CopyTo(destination);
                length = Math.Min(MaxDatagramBytes, seed.Length + 1 + _random.Next(200));
                _random.NextBytes(destination[seed.Length..length]);
                return length;
            case FuzzStrategy.Spliced:
            {
                byte[] other = seeds[_random.Next(seeds.Length)];
                int head = _random.Next(seed.Length + 1);
                int tail = _random.Next(other.Length + 1);
                length = Math.Min(MaxDatagramBytes, head + other.Length - tail);
                seed.AsSpan(0, head).CopyTo(destination);
                other.AsSpan(tail, length - head).CopyTo(destination[head..]);
                return length;
            }
            case FuzzStrategy.WideLength:
                // A length or count field blown up: 0xff.. over 1-4 bytes somewhere in the body.
                seed.CopyTo(destination);
                int at = _random.Next(seed.Length);
                destination.Slice(at, Math.Min(1 + _random.Next(4), seed.Length - at)).Fill(0xff);
                return seed.Length;
            default: // HeaderThenGarbage
                length = (control ? ControlHeader.Size : 8) + _random.Next(MaxDatagramBytes - 8);
                _random.NextBytes(destination[..length]);
                seed.AsSpan(0, Math.Min(seed.Length, control ? ControlHeader.Size : 8)).CopyTo(destination);
                if (control) destination[4] = (byte)_random.Next(4); // flags: sometimes "trailer present"
                return length;
        }
    }

    private static IEnumerable<byte[]> ControlSeeds(Random random, AuthKeyRing foreignKeys, IReadOnlyList<IPAddress> ownAddresses)
    {
        var time = TimeProvider.System;
        for (int i = 0; i < 24; i++)
        {
            int vnis = 1 + random.Next(i < 20 ? 4 : 60);
            var list = new List<VniAddresses>();
            var used = new HashSet<uint>();
            IPAddress? own = ownAddresses.Count > 0 && i % 2 == 0 ? ownAddresses[random.Next(ownAddresses.Count)] : null;
            for (int v = 0; v < vnis; v++)
            {
                uint vni = (uint)random.Next(1, 0x1000000);
                if (!used.Add(vni)) continue;
                list.Add(own is not null
                    ? new VniAddresses(vni, [own])
                    : new VniAddresses(vni, [RandomAddress(random), .. random.Next(3) == 0 ? [RandomAddress(random)] : Array.Empty<IPAddress>()]));
            }
            var register = new RegisterMessage($"fuzz-{i}", (uint)random.Next(0, 600), random.Next(4) == 0, (WireResponseWanted)random.Next(3), list);
            byte[] plain = ControlCodec.EncodeRegister(register)[0];
            yield return plain;
            byte[] signed = ControlCodec.EncodeRegister(register, reserveAuthenticationTrailer: true)[0];
            foreignKeys.Sign(signed, time);
            yield return signed;
        }
        var peers = new PeerListMessage(90, [new VniAddresses(100, [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")])], Generation: 3);
        yield return ControlCodec.Encode(peers);
        yield return ControlCodec.Encode(new SyncMessage([new SyncEntry(100, IPAddress.Parse("198.51.100.1"), 30, "fuzz-sync", WireEntrySource.Registered)], Last: true));
    }

    private static IEnumerable<byte[]> VxlanSeeds(Random random)
    {
        for (int i = 0; i < 16; i++)
        {
            byte[] datagram = new byte[8 + 14 + 28 + random.Next(200)];
            datagram[0] = 0x08; // I flag: VNI valid (RFC 7348)
            BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), (uint)(i < 8 ? 100 + i : random.Next(1, 0x1000000)) << 8);
            datagram.AsSpan(8, 6).Fill(0xff); // broadcast destination MAC
            random.NextBytes(datagram.AsSpan(14, 6));
            datagram[14] &= 0xfe; // unicast source MAC
            datagram[20] = 0x08; // EtherType ARP
            datagram[21] = 0x06;
            random.NextBytes(datagram.AsSpan(22));
            yield return datagram;
        }
    }

    private static IPAddress RandomAddress(Random random) => random.Next(2) == 0
        ? new IPAddress([192, 0, 2, (byte)random.Next(1, 255)])
        : IPAddress.Parse($"2001:db8::{random.Next(1, 0xffff):x}");
}
