using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// A worker's packet path: its two packet-socket queues (IPv4 and IPv6 frames differ in header
/// length) and a frame template per destination, rebuilt from <see cref="INextHopSource.Current"/>
/// only when its version changed (<see cref="Refresh"/>, once per receive batch). A reservation
/// writes the Ethernet header and the sockaddr_ll and returns where the IP header goes; a
/// destination it cannot serve returns null after counting the <see cref="PacketFallback"/>, and the
/// caller sends that copy on the raw socket. Nothing here allocates per copy.
/// </summary>
internal sealed unsafe class PacketFrames
{
    public const int IPv4FrameHeader = LibC.ETH_HLEN + 20 + 8;
    public const int IPv6FrameHeader = LibC.ETH_HLEN + 40 + 8;

    // A next hop without a known MTU: assume IPv6's minimum link MTU, so a larger copy goes raw
    // (where the kernel knows better) instead of being refused by the driver.
    private const int UnknownMtu = 1280;

    private readonly INextHopSource _source;
    private readonly CopyQueue? _ipv4;
    private readonly CopyQueue? _ipv6;
    private readonly WorkerCounters _counters;
    private Dictionary<uint, FrameTemplate> _byIPv4 = [];
    private Dictionary<UInt128, FrameTemplate> _byIPv6 = [];
    private long _version = -1;

    /// <param name="ipv4">Queue of IPv4 frames (header <see cref="IPv4FrameHeader"/>, name sockaddr_ll); null: IPv4 copies all go raw.</param>
    /// <param name="ipv6">Queue of IPv6 frames likewise.</param>
    public PacketFrames(INextHopSource source, CopyQueue? ipv4, CopyQueue? ipv6, WorkerCounters counters)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _ipv4 = ipv4;
        _ipv6 = ipv6;
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
    }

    /// <summary>The next-hop version the templates were built from (-1 before the first refresh).</summary>
    public long Version => _version;

    /// <summary>Takes the current next hops and rebuilds the templates if they changed (allocates only then).</summary>
    public void Refresh()
    {
        NextHopSnapshot snapshot = _source.Current;
        if (snapshot.Version == _version) return;
        var byIPv4 = new Dictionary<uint, FrameTemplate>();
        var byIPv6 = new Dictionary<UInt128, FrameTemplate>();
        foreach (NextHop hop in snapshot.All)
        {
            IPAddress destination = hop.Destination;
            if (destination.IsIPv4MappedToIPv6) destination = destination.MapToIPv4();
            if (destination.AddressFamily == AddressFamily.InterNetwork) byIPv4[IPv4Key(destination)] = Template(hop, LibC.ETH_P_IP);
            else byIPv6[IPv6Key(destination)] = Template(hop, LibC.ETH_P_IPV6);
        }
        _byIPv4 = byIPv4;
        _byIPv6 = byIPv6;
        _version = snapshot.Version;
    }

    /// <summary>Reserves a packet-path slot for an IPv4 copy; returns where its IP header goes, or null (fallback counted).</summary>
    /// <param name="destination">The address as read from memory (network order bytes).</param>
    /// <param name="ipLength">IP total length of the copy.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte* ReserveIPv4(uint destination, int ipLength, byte* payload, int payloadLength)
    {
        CopyQueue? queue = _ipv4;
        if (queue is null) return null;
        ref FrameTemplate template = ref CollectionsMarshal.GetValueRefOrNullRef(_byIPv4, destination);
        return Reserve(queue, ref template, ipLength, payload, payloadLength);
    }

    /// <summary>Reserves a packet-path slot for an IPv6 copy (address as two memory-order halves); see <see cref="ReserveIPv4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte* ReserveIPv6(ulong high, ulong low, int ipLength, byte* payload, int payloadLength)
    {
        CopyQueue? queue = _ipv6;
        if (queue is null) return null;
        ref FrameTemplate template = ref CollectionsMarshal.GetValueRefOrNullRef(_byIPv6, new UInt128(high, low));
        return Reserve(queue, ref template, ipLength, payload, payloadLength);
    }

    public void Flush()
    {
        _ipv4?.Flush();
        _ipv6?.Flush();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Reserve(CopyQueue queue, ref FrameTemplate template, int ipLength, byte* payload, int payloadLength)
    {
        if (Unsafe.IsNullRef(ref template))
        {
            _counters.Fallbacks[(int)PacketFallback.Pending]++;
            return null;
        }
        if (template.Fallback is { } reason)
        {
            _counters.Fallbacks[(int)reason]++;
            return null;
        }
        if (ipLength > template.Mtu)
        {
            _counters.Fallbacks[(int)PacketFallback.TooBig]++;
            return null;
        }
        int slot = queue.Reserve(payload, payloadLength);
        byte* frame = queue.Header(slot);
        Unsafe.WriteUnaligned(frame, template.Ethernet0);
        Unsafe.WriteUnaligned(frame + 8, template.Ethernet1);
        Unsafe.WriteUnaligned(queue.Name(slot), template.LinkAddressHead);
        return frame + LibC.ETH_HLEN;
    }

    /// <summary>The dictionary key of an IPv4 destination: its 4 bytes read as a memory-order uint, as the member arrays hold them.</summary>
    public static uint IPv4Key(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return MemoryMarshal.Read<uint>(bytes);
    }

    /// <summary>The dictionary key of an IPv6 destination: its two 8-byte halves read in memory order.</summary>
    public static UInt128 IPv6Key(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return new UInt128(MemoryMarshal.Read<ulong>(bytes), MemoryMarshal.Read<ulong>(bytes[8..]));
    }

    private static FrameTemplate Template(NextHop hop, ushort etherType)
    {
        if (!hop.IsUsable || hop.InterfaceIndex <= 0) return new FrameTemplate { Fallback = PacketFallbacks.From(hop.State) };
        Span<byte> head = stackalloc byte[16];
        head.Clear();
        MacAddresses.Unpack(hop.DestinationMac, head);
        MacAddresses.Unpack(hop.SourceMac, head[LibC.ETH_ALEN..]);
        BinaryPrimitives.WriteUInt16BigEndian(head[(2 * LibC.ETH_ALEN)..], etherType);
        Span<byte> link = stackalloc byte[8];
        MemoryMarshal.Write(link, (ushort)LibC.AF_PACKET);
        BinaryPrimitives.WriteUInt16BigEndian(link[2..], etherType);
        MemoryMarshal.Write(link[4..], hop.InterfaceIndex);
        return new FrameTemplate
        {
            Ethernet0 = MemoryMarshal.Read<ulong>(head),
            Ethernet1 = MemoryMarshal.Read<ulong>(head[8..]),
            LinkAddressHead = MemoryMarshal.Read<ulong>(link),
            Mtu = hop.Mtu > 0 ? hop.Mtu : UnknownMtu,
        };
    }
}
