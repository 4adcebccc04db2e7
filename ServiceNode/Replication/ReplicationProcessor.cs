using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Replicator.Linux.Native;
using Replicator.Protocol.Vxlan;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// The per-batch work of a worker, separated from its sockets so that it can run over an
/// in-memory batch: parse each datagram, read the VNI's member snapshot, queue one copy per member
/// except the sender, flush. Allocation-free, lock-free and exception-free per datagram; every
/// datagram not replicated is counted under a <see cref="DropReason"/>. A datagram whose outer source
/// is one of the node's own addresses is dropped (<see cref="DropReason.OwnSource"/>): it can only be
/// our own copy coming back, or a forgery meant to make us loop. Copies never go to an own address
/// because the registry leaves those out of the member snapshots.
/// </summary>
internal sealed unsafe class ReplicationProcessor
{
    private const int IPv4HeaderLength = 20;
    private const int IPv6HeaderLength = 40;
    private const int UdpHeaderLength = 8;
    private const byte ProtocolUdp = 17;

    private readonly MemberTable _table;
    private readonly CopyQueue? _ipv4;
    private readonly CopyQueue? _ipv6;
    private readonly WorkerCounters _counters;
    private readonly ReplicationMetrics? _metrics;
    private readonly IUnregisteredSenderSink? _sink;
    private readonly OwnAddresses? _own;
    private readonly PacketFrames? _packet;
    private ushort _ipId; // IPv4 identification of packet-path copies (the raw path leaves it to the kernel)
    private OwnAddressSet _ownSet = OwnAddressSet.Empty; // read once per batch
    private readonly bool _preserve;
    private readonly bool _acceptUnregistered;
    private readonly byte _ttl;
    private readonly ushort _destinationPort; // network order in memory

    /// <param name="ipv4">Queue for IPv4 copies: a raw IP_HDRINCL socket (Preserve) or a UDP socket (Node); null when this worker sends no IPv4.</param>
    /// <param name="ipv6">Queue for IPv6 copies, likewise.</param>
    /// <param name="packet">Preserve mode's packet path: copies it can serve go there, the rest to <paramref name="ipv4"/>/<paramref name="ipv6"/>. Null: raw only.</param>
    public ReplicationProcessor(MemberTable table, ReplicationSettings settings, CopyQueue? ipv4, CopyQueue? ipv6,
        WorkerCounters counters, ReplicationMetrics? metrics, IUnregisteredSenderSink? sink, OwnAddresses? own = null, PacketFrames? packet = null)
    {
        _own = own;
        _packet = settings.SourceMode == SourceMode.Preserve ? packet : null;
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _ipv4 = ipv4;
        _ipv6 = ipv6;
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _metrics = metrics;
        _sink = sink;
        _preserve = settings.SourceMode == SourceMode.Preserve;
        _acceptUnregistered = settings.AcceptUnregistered;
        _ttl = (byte)settings.Ttl;
        ushort port = (ushort)settings.DestinationPort;
        _destinationPort = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(port) : port;
    }

    /// <summary>Replicates the first <paramref name="count"/> datagrams of the ring and flushes every copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: full optimization from the first batch, no tiering warm-up
    public void ProcessBatch(ReceiveRing ring, int count, long receivedTimestamp)
    {
        if (_own is not null) _ownSet = _own.Current;
        _packet?.Refresh();
        for (int i = 0; i < count; i++) ProcessDatagram(ring, i);
        _packet?.Flush();
        _ipv4?.Flush();
        _ipv6?.Flush();
        _counters.DatagramsReceived += count;
        _counters.Batches++;
        if (_metrics is not null)
        {
            _metrics.RecordReceiveBatch(count);
            _metrics.RecordLatency(Stopwatch.GetElapsedTime(receivedTimestamp).TotalSeconds);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessDatagram(ReceiveRing ring, int slot)
    {
        if (ring.Truncated(slot))
        {
            Drop(DropReason.TooLong);
            return;
        }
        byte* data = ring.Data(slot);
        int length = ring.Length(slot);
        if (!VxlanHeader.TryParse(new ReadOnlySpan<byte>(data, length), out VxlanHeader header, out VxlanParseError error))
        {
            Drop(error == VxlanParseError.TooShort ? DropReason.TooShort : DropReason.NoIFlag);
            return;
        }
        byte* name = ring.Name(slot);
        ushort sourcePort = Unsafe.ReadUnaligned<ushort>(name + 2); // network order, copied as is
        if (Unsafe.ReadUnaligned<ushort>(name) == LibC.AF_INET)
        {
            ReplicateFromIPv4(header.Vni, Unsafe.ReadUnaligned<uint>(name + 4), sourcePort, data, length);
        }
        else if (IsV4Mapped(name + 8))
        {
            // A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d.
            ReplicateFromIPv4(header.Vni, Unsafe.ReadUnaligned<uint>(name + 20), sourcePort, data, length);
        }
        else
        {
            ReplicateFromIPv6(header.Vni, name + 8, sourcePort, data, length);
        }
    }

    private void ReplicateFromIPv4(uint vni, uint source, ushort sourcePort, byte* payload, int length)
    {
        if (_ownSet.ContainsIPv4(source))
        {
            Drop(DropReason.OwnSource);
            return;
        }
        if (!_table.TryGet(vni, out VniMembers? members))
        {
            if (_acceptUnregistered) Report(vni, (byte*)&source, 4, ipv6: false);
            Drop(DropReason.UnknownVni);
            return;
        }
        if (!members.ContainsIPv4(source))
        {
            if (!_acceptUnregistered)
            {
                Drop(DropReason.UnregisteredSender);
                return;
            }
            Report(vni, (byte*)&source, 4, ipv6: false);
        }
        int copies = _preserve
            ? PreserveIPv4(members, source, sourcePort, payload, length)
            : NodeIPv4(members, source, payload, length) + NodeIPv6(members, null, payload, length);
        if (copies == 0) Drop(DropReason.NoMembers);
    }

    private void ReplicateFromIPv6(uint vni, byte* source, ushort sourcePort, byte* payload, int length)
    {
        if (_ownSet.ContainsIPv6(source))
        {
            Drop(DropReason.OwnSource);
            return;
        }
        if (!_table.TryGet(vni, out VniMembers? members))
        {
            if (_acceptUnregistered) Report(vni, source, 16, ipv6: true);
            Drop(DropReason.UnknownVni);
            return;
        }
        if (!members.ContainsIPv6(new ReadOnlySpan<byte>(source, 16)))
        {
            if (!_acceptUnregistered)
            {
                Drop(DropReason.UnregisteredSender);
                return;
            }
            Report(vni, source, 16, ipv6: true);
        }
        int copies = _preserve
            ? PreserveIPv6(members, source, sourcePort, payload, length)
            : NodeIPv4(members, 0, payload, length) + NodeIPv6(members, source, payload, length);
        if (copies == 0) Drop(DropReason.NoMembers);
    }

    /// <summary>
    /// IPv4 + UDP headers with the sender's address and port; a zero UDP checksum is legal over IPv4.
    /// On the raw socket the kernel fills id and header checksum (IP_HDRINCL); a packet-path copy
    /// gets an id from the worker's counter and its header checksum from the template's sum plus its
    /// destination and id (RFC 1624), so the header is never summed per copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PreserveIPv4(VniMembers members, uint source, ushort sourcePort, byte* payload, int length)
    {
        CopyQueue? queue = _ipv4;
        PacketFrames? packet = _packet;
        if (queue is null) return 0;
        uint[] destinations = members.IPv4;
        FrameTemplate[]? templates = packet?.For(members).IPv4;
        byte* t = stackalloc byte[IPv4HeaderLength + UdpHeaderLength];
        ushort udpLength = (ushort)(UdpHeaderLength + length);
        t[0] = 0x45; // version 4, 5 words
        t[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(t + 2, 2), (ushort)(IPv4HeaderLength + udpLength));
        Unsafe.WriteUnaligned<uint>(t + 4, 0); // id (kernel picks), flags/fragment offset 0 (may fragment)
        t[8] = _ttl;
        t[9] = ProtocolUdp;
        Unsafe.WriteUnaligned<ushort>(t + 10, 0);
        Unsafe.WriteUnaligned(t + 12, source);
        Unsafe.WriteUnaligned<uint>(t + 16, 0);
        Unsafe.WriteUnaligned(t + 20, sourcePort);
        Unsafe.WriteUnaligned(t + 22, _destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(t + 24, 2), udpLength);
        Unsafe.WriteUnaligned<ushort>(t + 26, 0);
        int ipLength = IPv4HeaderLength + udpLength;
        ulong headerSum = packet is null ? 0 : InternetChecksum.Add(0, new ReadOnlySpan<byte>(t, IPv4HeaderLength));

        int copies = 0;
        for (int i = 0; i < destinations.Length; i++)
        {
            uint destination = destinations[i];
            if (destination == source) continue;
            copies++;
            byte* h = packet is null ? null : packet.ReserveIPv4(ref templates![i], ipLength, payload, length);
            if (h is not null)
            {
                Unsafe.CopyBlockUnaligned(h, t, IPv4HeaderLength + UdpHeaderLength);
                Unsafe.WriteUnaligned(h + 16, destination);
                ushort id = ++_ipId;
                Unsafe.WriteUnaligned(h + 4, id);
                Unsafe.WriteUnaligned(h + 10, InternetChecksum.Complement(headerSum + (destination & 0xFFFF) + (destination >> 16) + id));
                continue;
            }
            int slot = queue.Reserve(payload, length);
            h = queue.Header(slot);
            Unsafe.CopyBlockUnaligned(h, t, IPv4HeaderLength + UdpHeaderLength);
            Unsafe.WriteUnaligned(h + 16, destination);
            sockaddr_in* to = (sockaddr_in*)queue.Name(slot);
            to->sin_family = LibC.AF_INET;
            to->sin_port = 0;
            to->sin_addr = destination;
        }
        return copies;
    }

    /// <summary>
    /// IPv6 + UDP headers with the sender's address and port. The UDP checksum is mandatory: the
    /// sum over everything but the destination address is computed once, and each copy adds its
    /// destination's words to it (RFC 1624 incremental update) instead of re-summing the payload.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PreserveIPv6(VniMembers members, byte* source, ushort sourcePort, byte* payload, int length)
    {
        CopyQueue? queue = _ipv6;
        PacketFrames? packet = _packet;
        if (queue is null) return 0;
        byte[] destinations = members.IPv6;
        FrameTemplate[]? templates = packet?.For(members).IPv6;
        byte* t = stackalloc byte[IPv6HeaderLength + UdpHeaderLength];
        ushort udpLength = (ushort)(UdpHeaderLength + length);
        BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(t, 4), 0x6000_0000); // version 6, class 0, flow 0
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(t + 4, 2), udpLength);
        t[6] = ProtocolUdp;
        t[7] = _ttl;
        Unsafe.CopyBlockUnaligned(t + 8, source, 16);
        Unsafe.InitBlockUnaligned(t + 24, 0, 16);
        Unsafe.WriteUnaligned(t + 40, sourcePort);
        Unsafe.WriteUnaligned(t + 42, _destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(t + 44, 2), udpLength);
        Unsafe.WriteUnaligned<ushort>(t + 46, 0);

        // Pseudo-header (RFC 8200 section 8.1) minus the destination: source, upper-layer length, next header.
        byte* lengthAndNext = stackalloc byte[8];
        Unsafe.WriteUnaligned<ushort>(lengthAndNext, 0);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(lengthAndNext + 2, 2), udpLength);
        Unsafe.WriteUnaligned<uint>(lengthAndNext + 4, 0);
        lengthAndNext[7] = ProtocolUdp;
        ulong baseSum = InternetChecksum.Add(0, new ReadOnlySpan<byte>(source, 16));
        baseSum = InternetChecksum.Add(baseSum, new ReadOnlySpan<byte>(lengthAndNext, 8));
        baseSum = InternetChecksum.Add(baseSum, new ReadOnlySpan<byte>(t + 40, UdpHeaderLength));
        baseSum = InternetChecksum.Add(baseSum, new ReadOnlySpan<byte>(payload, length));

        ulong sourceHigh = Unsafe.ReadUnaligned<ulong>(source);
        ulong sourceLow = Unsafe.ReadUnaligned<ulong>(source + 8);
        int copies = 0;
        fixed (byte* all = destinations)
        {
            for (int offset = 0; offset < destinations.Length; offset += 16)
            {
                byte* destination = all + offset;
                ulong high = Unsafe.ReadUnaligned<ulong>(destination);
                ulong low = Unsafe.ReadUnaligned<ulong>(destination + 8);
                if (high == sourceHigh && low == sourceLow) continue;
                copies++;
                // The destination's 16-bit words, as two 64-bit halves split into 32-bit parts.
                ulong sum = baseSum + (high & 0xFFFF_FFFF) + (high >> 32) + (low & 0xFFFF_FFFF) + (low >> 32);
                byte* h = packet is null ? null : packet.ReserveIPv6(ref templates![offset >> 4], IPv6HeaderLength + udpLength, payload, length);
                if (h is not null)
                {
                    Unsafe.CopyBlockUnaligned(h, t, IPv6HeaderLength + UdpHeaderLength);
                    Unsafe.WriteUnaligned(h + 24, high);
                    Unsafe.WriteUnaligned(h + 32, low);
                    Unsafe.WriteUnaligned(h + 46, InternetChecksum.UdpField(sum));
                    continue;
                }
                int slot = queue.Reserve(payload, length);
                h = queue.Header(slot);
                Unsafe.CopyBlockUnaligned(h, t, IPv6HeaderLength + UdpHeaderLength);
                Unsafe.WriteUnaligned(h + 24, high);
                Unsafe.WriteUnaligned(h + 32, low);
                Unsafe.WriteUnaligned(h + 46, InternetChecksum.UdpField(sum));
                sockaddr_in6* to = (sockaddr_in6*)queue.Name(slot);
                to->sin6_family = LibC.AF_INET6;
                to->sin6_port = 0;
                to->sin6_flowinfo = 0;
                Unsafe.WriteUnaligned(to->sin6_addr, high);
                Unsafe.WriteUnaligned(to->sin6_addr + 8, low);
                to->sin6_scope_id = 0;
            }
        }
        return copies;
    }

    /// <summary>Node mode, IPv4 members: the UDP socket supplies the headers with this node's address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NodeIPv4(VniMembers members, uint source, byte* payload, int length)
    {
        CopyQueue? queue = _ipv4;
        if (queue is null) return 0;
        uint[] destinations = members.IPv4;
        int copies = 0;
        for (int i = 0; i < destinations.Length; i++)
        {
            uint destination = destinations[i];
            if (destination == source) continue;
            int slot = queue.Reserve(payload, length);
            sockaddr_in* to = (sockaddr_in*)queue.Name(slot);
            to->sin_family = LibC.AF_INET;
            to->sin_port = _destinationPort;
            to->sin_addr = destination;
            copies++;
        }
        return copies;
    }

    /// <summary>Node mode, IPv6 members; <paramref name="source"/> is null for an IPv4 sender.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NodeIPv6(VniMembers members, byte* source, byte* payload, int length)
    {
        CopyQueue? queue = _ipv6;
        if (queue is null) return 0;
        byte[] destinations = members.IPv6;
        int copies = 0;
        fixed (byte* all = destinations)
        {
            for (int offset = 0; offset < destinations.Length; offset += 16)
            {
                byte* destination = all + offset;
                if (source is not null && Unsafe.ReadUnaligned<ulong>(destination) == Unsafe.ReadUnaligned<ulong>(source)
                    && Unsafe.ReadUnaligned<ulong>(destination + 8) == Unsafe.ReadUnaligned<ulong>(source + 8)) continue;
                int slot = queue.Reserve(payload, length);
                sockaddr_in6* to = (sockaddr_in6*)queue.Name(slot);
                to->sin6_family = LibC.AF_INET6;
                to->sin6_port = _destinationPort;
                to->sin6_flowinfo = 0;
                Unsafe.CopyBlockUnaligned(to->sin6_addr, destination, 16);
                to->sin6_scope_id = 0;
                copies++;
            }
        }
        return copies;
    }

    private static bool IsV4Mapped(byte* address) =>
        Unsafe.ReadUnaligned<ulong>(address) == 0 && Unsafe.ReadUnaligned<uint>(address + 8) == (BitConverter.IsLittleEndian ? 0xFFFF_0000u : 0x0000_FFFFu);

    private void Report(uint vni, byte* address, int length, bool ipv6) =>
        _sink?.OnUnregisteredSender(vni, new ReadOnlySpan<byte>(address, length), ipv6);

    private void Drop(DropReason reason) => _counters.Dropped[(int)reason]++;
}
