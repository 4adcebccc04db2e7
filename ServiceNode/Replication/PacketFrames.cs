using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// A worker's packet path: its two packet-socket queues (IPv4 and IPv6 frames differ in header
/// length), its TX rings (one per egress interface, up to the worker's ring sockets) and a frame
/// template per destination, rebuilt from <see cref="INextHopSource.Current"/> only when its version
/// changed (<see cref="Refresh"/>, once per receive batch). A reservation takes a frame of the
/// destination's ring (Ethernet header and payload written there) or else a queue slot (Ethernet
/// header and sockaddr_ll written) and returns where the IP header goes; a destination it cannot
/// serve returns null after counting the <see cref="PacketFallback"/>, and the caller sends that
/// copy on the raw socket. Nothing here allocates per copy.
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
    private readonly PacketRing[] _rings;
    private readonly Action<int, Errno>? _onRingUnavailable;
    private readonly HashSet<int> _ringlessInterfaces = []; // reported once each
    private Dictionary<uint, FrameTemplate> _byIPv4 = [];
    private Dictionary<UInt128, FrameTemplate> _byIPv6 = [];
    private readonly Dictionary<uint, MemberFrames> _byVni = []; // emptied when the next hops change
    private const int MaxCachedVnis = 1 << 16; // beyond that, start again rather than grow without bound
    private long _version = -1;

    /// <param name="ipv4">Queue of IPv4 frames (header <see cref="IPv4FrameHeader"/>, name sockaddr_ll); null: IPv4 copies all go raw.</param>
    /// <param name="ipv6">Queue of IPv6 frames likewise.</param>
    /// <param name="rings">Ring sockets to attach to egress interfaces as they appear (empty: sendmmsg only); flushed and disposed by their owner.</param>
    /// <param name="onRingUnavailable">Told (interface index, errno) when an interface's ring cannot be set up; its copies then go by sendmmsg.</param>
    public PacketFrames(INextHopSource source, CopyQueue? ipv4, CopyQueue? ipv6, WorkerCounters counters,
        IReadOnlyList<PacketRing>? rings = null, Action<int, Errno>? onRingUnavailable = null)
    {
        _rings = rings is null ? [] : [.. rings];
        _onRingUnavailable = onRingUnavailable;
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
        Dictionary<int, PacketRing> rings = AttachRings(snapshot);
        foreach (NextHop hop in snapshot.All)
        {
            IPAddress destination = hop.Destination;
            if (destination.IsIPv4MappedToIPv6) destination = destination.MapToIPv4();
            PacketRing? ring = rings.GetValueOrDefault(hop.InterfaceIndex);
            if (destination.AddressFamily == AddressFamily.InterNetwork) byIPv4[IPv4Key(destination)] = Template(hop, LibC.ETH_P_IP, ring);
            else byIPv6[IPv6Key(destination)] = Template(hop, LibC.ETH_P_IPV6, ring);
        }
        _byIPv4 = byIPv4;
        _byIPv6 = byIPv6;
        _byVni.Clear();
        _version = snapshot.Version;
    }

    /// <summary>
    /// The templates of <paramref name="members"/>, index for index (once per datagram). Built on the first datagram
    /// after its member snapshot or the next hops changed; allocates only then.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MemberFrames For(VniMembers members)
    {
        if (_byVni.TryGetValue(members.Vni, out MemberFrames? frames) && ReferenceEquals(frames.Members, members)) return frames;
        return Build(members);
    }

    private MemberFrames Build(VniMembers members)
    {
        if (_byVni.Count >= MaxCachedVnis) _byVni.Clear();
        var pending = new FrameTemplate { Fallback = PacketFallback.Pending };
        var ipv4 = new FrameTemplate[members.IPv4.Length];
        for (int i = 0; i < ipv4.Length; i++) ipv4[i] = _byIPv4.GetValueOrDefault(members.IPv4[i], pending);
        var ipv6 = new FrameTemplate[members.IPv6Count];
        for (int i = 0; i < ipv6.Length; i++)
        {
            var key = new UInt128(BitConverter.ToUInt64(members.IPv6, 16 * i), BitConverter.ToUInt64(members.IPv6, 16 * i + 8));
            ipv6[i] = _byIPv6.GetValueOrDefault(key, pending);
        }
        var frames = new MemberFrames(members, ipv4, ipv6);
        _byVni[members.Vni] = frames;
        return frames;
    }

    /// <summary>Reserves a packet-path slot for an IPv4 copy; returns where its IP header goes, or null (fallback counted).</summary>
    /// <param name="template">The destination's entry of <see cref="MemberFrames.IPv4"/>.</param>
    /// <param name="ipLength">IP total length of the copy.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte* ReserveIPv4(ref FrameTemplate template, int ipLength, byte* payload, int payloadLength)
    {
        CopyQueue? queue = _ipv4;
        if (queue is null) return null;
        return Reserve(queue, ref template, IPv4FrameHeader, ipLength, payload, payloadLength);
    }

    /// <summary>Reserves a packet-path slot for an IPv6 copy (template from <see cref="MemberFrames.IPv6"/>); see <see cref="ReserveIPv4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte* ReserveIPv6(ref FrameTemplate template, int ipLength, byte* payload, int payloadLength)
    {
        CopyQueue? queue = _ipv6;
        if (queue is null) return null;
        return Reserve(queue, ref template, IPv6FrameHeader, ipLength, payload, payloadLength);
    }

    public void Flush()
    {
        foreach (PacketRing ring in _rings) ring.Flush();
        _ipv4?.Flush();
        _ipv6?.Flush();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Reserve(CopyQueue queue, ref FrameTemplate template, int frameHeader, int ipLength, byte* payload, int payloadLength)
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
        byte* frame;
        if (template.Ring is { } ring)
        {
            frame = ring.TryReserve(LibC.ETH_HLEN + ipLength);
            if (frame is not null)
            {
                Unsafe.WriteUnaligned(frame, template.Ethernet0);
                Unsafe.WriteUnaligned(frame + 8, template.Ethernet1);
                Unsafe.CopyBlockUnaligned(frame + frameHeader, payload, (uint)payloadLength);
                return frame + LibC.ETH_HLEN;
            }
            _counters.Fallbacks[(int)PacketFallback.RingFull]++;
        }
        int slot = queue.Reserve(payload, payloadLength);
        frame = queue.Header(slot);
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

    /// <summary>
    /// A ring for every egress interface of a usable next hop, sized for the largest MTU there, as long as ring
    /// sockets last: one already bound to the interface is kept, the others are rebound from interfaces no
    /// next hop uses any more. An interface without a ring is reported once and served by sendmmsg.
    /// </summary>
    private Dictionary<int, PacketRing> AttachRings(NextHopSnapshot snapshot)
    {
        var result = new Dictionary<int, PacketRing>();
        if (_rings.Length == 0) return result;
        var mtus = new Dictionary<int, int>();
        foreach (NextHop hop in snapshot.All)
        {
            if (!hop.IsUsable || hop.InterfaceIndex <= 0) continue;
            int mtu = hop.Mtu > 0 ? hop.Mtu : UnknownMtu;
            mtus[hop.InterfaceIndex] = Math.Max(mtu, mtus.GetValueOrDefault(hop.InterfaceIndex));
        }
        var free = new List<PacketRing>();
        foreach (PacketRing ring in _rings)
        {
            if (mtus.ContainsKey(ring.InterfaceIndex) && !result.ContainsKey(ring.InterfaceIndex)) result[ring.InterfaceIndex] = ring;
            else free.Add(ring);
        }
        foreach (var (index, mtu) in mtus.OrderBy(p => p.Key))
        {
            Errno errno;
            if (result.TryGetValue(index, out PacketRing? bound))
            {
                errno = bound.Attach(index, mtu); // grows its frames if the MTU went up
                if (errno == Errno.SUCCESS) continue;
                result.Remove(index);
            }
            else if (free.Count > 0)
            {
                PacketRing ring = free[^1];
                errno = ring.Attach(index, mtu);
                if (errno == Errno.SUCCESS)
                {
                    free.RemoveAt(free.Count - 1);
                    result[index] = ring;
                    continue;
                }
            }
            else
            {
                errno = Errno.ENOSPC; // more egress interfaces than ring sockets
            }
            if (_ringlessInterfaces.Add(index)) _onRingUnavailable?.Invoke(index, errno);
        }
        return result;
    }

    private static FrameTemplate Template(NextHop hop, ushort etherType, PacketRing? ring)
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
            Ring = ring,
        };
    }
}
