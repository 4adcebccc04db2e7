using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Replicator.Hosting.Systemd;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// One replication shard: a dedicated thread with its own SO_REUSEPORT receive socket, its own
/// send socket(s) and its own preallocated buffers. The sockets are opened in the constructor, so
/// they belong to the network namespace of the constructing thread, whichever thread runs the loop.
/// </summary>
internal sealed unsafe class ReplicationWorker : IDisposable
{
    private readonly int _index;
    private readonly SafeFileDescriptor _receive;
    private readonly SafeFileDescriptor? _send4;
    private readonly SafeFileDescriptor? _send6;
    private readonly SafeFileDescriptor? _packetSocket;
    private readonly CopyQueue? _packet4;
    private readonly CopyQueue? _packet6;
    private readonly List<PacketRing> _rings = [];
    private readonly ReceiveRing _ring;
    private readonly CopyQueue? _queue4;
    private readonly CopyQueue? _queue6;
    private readonly ReplicationProcessor _processor;
    private readonly Action<int, Errno>? _onReceiveError;
    private readonly Heartbeat? _heartbeat;
    private Thread? _thread;
    private volatile bool _stopping;

    /// <summary>Opens and binds the sockets; throws <see cref="NativeException"/> when that fails (e.g. bind, CAP_NET_RAW).</summary>
    /// <param name="onReceiveError">Told about an unexpected recvmmsg error (not a timeout); the worker keeps going.</param>
    /// <param name="own">The node's own addresses: datagrams from them are dropped. Null: no such check (tests).</param>
    /// <param name="heartbeat">Beaten once per receive (a batch or a timeout) for the systemd watchdog.</param>
    /// <param name="nextHops">
    /// Where the packet path reads next hops (<see cref="ReplicationSettings.UsesPacketPath"/>); null: raw only. With
    /// Transmit=Packet a packet socket that cannot be opened fails the constructor; with Auto the worker goes raw only.
    /// </param>
    /// <param name="onRingUnavailable">
    /// Told (worker, interface index, errno) when an egress interface gets no TX ring (ring sockets could not be opened,
    /// or the ring could not be set up: EPERM, ENOMEM, an old kernel); that interface's copies go by sendmmsg.
    /// </param>
    public ReplicationWorker(int index, ReplicationSettings settings, MemberTable table, ReplicationMetrics? metrics,
        IUnregisteredSenderSink? sink, Action<int, Errno>? onReceiveError = null, OwnAddresses? own = null, Heartbeat? heartbeat = null,
        INextHopSource? nextHops = null, Action<int, int, Errno>? onRingUnavailable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(table);
        _index = index;
        _onReceiveError = onReceiveError;
        _heartbeat = heartbeat;
        Counters = new WorkerCounters();
        metrics?.Register(Counters);
        var disposables = new List<IDisposable>();
        try
        {
            IPAddress address = settings.DataAddress;
            _receive = ReplicationSockets.OpenReceive(new IPEndPoint(address, settings.DataPort), settings.ReceiveBufferBytes);
            disposables.Add(_receive);
            LocalEndPoint = ReplicationSockets.LocalEndPoint(_receive);
            bool v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            bool dualStack = address.Equals(IPAddress.IPv6Any);
            int sendBuffer = Math.Max(1 << 20, settings.SendBatch * 2048);
            if (settings.SourceMode == SourceMode.Preserve)
            {
                if (!v6 || dualStack) _send4 = ReplicationSockets.OpenRaw(ipv6: false, sendBuffer);
                if (v6) _send6 = ReplicationSockets.OpenRaw(ipv6: true, sendBuffer);
            }
            else
            {
                // DataAddress "::" receives both families, so it serves IPv4 members too: from a
                // socket on 0.0.0.0 (an IPv6 socket could only reach them through mapped addresses).
                if (!v6 || dualStack) _send4 = ReplicationSockets.OpenNodeSend(dualStack ? IPAddress.Any : address, settings.Ttl, sendBuffer);
                if (v6) _send6 = ReplicationSockets.OpenNodeSend(address, settings.Ttl, sendBuffer);
            }
            if (_send4 is not null) disposables.Add(_send4);
            if (_send6 is not null) disposables.Add(_send6);

            bool preserve = settings.SourceMode == SourceMode.Preserve;
            CopyPath rawOrUdp = preserve ? CopyPath.Raw : CopyPath.Udp;
            _ring = new ReceiveRing(settings.ReceiveBatch);
            disposables.Add(_ring);
            if (_send4 is not null)
            {
                _queue4 = new CopyQueue(settings.SendBatch, preserve ? 28 : 0, sizeof(sockaddr_in), new SocketCopyTransport(_send4), Counters, metrics, rawOrUdp);
                disposables.Add(_queue4);
            }
            if (_send6 is not null)
            {
                _queue6 = new CopyQueue(settings.SendBatch, preserve ? 48 : 0, sizeof(sockaddr_in6), new SocketCopyTransport(_send6), Counters, metrics, rawOrUdp);
                disposables.Add(_queue6);
            }
            PacketFrames? packet = null;
            if (settings.UsesPacketPath && nextHops is not null)
            {
                _packetSocket = OpenPacket(settings, sendBuffer);
                if (_packetSocket is not null)
                {
                    disposables.Add(_packetSocket);
                    var transport = new SocketCopyTransport(_packetSocket);
                    if (_send4 is not null)
                    {
                        _packet4 = new CopyQueue(settings.SendBatch, PacketFrames.IPv4FrameHeader, sizeof(sockaddr_ll), transport, Counters, metrics, CopyPath.Packet);
                        disposables.Add(_packet4);
                    }
                    if (_send6 is not null)
                    {
                        _packet6 = new CopyQueue(settings.SendBatch, PacketFrames.IPv6FrameHeader, sizeof(sockaddr_ll), transport, Counters, metrics, CopyPath.Packet);
                        disposables.Add(_packet6);
                    }
                    OpenRingSockets(settings, sendBuffer, onRingUnavailable);
                    disposables.AddRange(_rings);
                    packet = new PacketFrames(nextHops, _packet4, _packet6, Counters, _rings,
                        onRingUnavailable is null ? null : (ifindex, errno) => onRingUnavailable(index, ifindex, errno));
                }
            }
            _processor = new ReplicationProcessor(table, settings, _queue4, _queue6, Counters, metrics, sink, own, packet);
        }
        catch
        {
            foreach (var d in disposables) d.Dispose();
            throw;
        }
    }

    public WorkerCounters Counters { get; }

    /// <summary>Whether this worker sends on a packet socket (false: raw or UDP sockets only).</summary>
    public bool HasPacketPath => _packetSocket is not null;

    /// <summary>The receive socket's bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    // Auto goes raw when the packet socket cannot be had (e.g. AF_PACKET not available); Packet insists.
    private static SafeFileDescriptor? OpenPacket(ReplicationSettings settings, int sendBuffer)
    {
        try
        {
            return ReplicationSockets.OpenPacket(sendBuffer);
        }
        catch (NativeException) when (settings.Transmit == TransmitPath.Auto)
        {
            return null;
        }
    }

    /// <summary>Egress interfaces one worker serves with a TX ring; copies out of more interfaces than that go by sendmmsg.</summary>
    public const int RingSockets = 4;

    /// <summary>The worker's TX rings (attached to interfaces by the packet path as next hops name them).</summary>
    public IReadOnlyList<PacketRing> Rings => _rings;

    // Opened here, in the constructing thread's network namespace; the rings are mapped and bound later, on the
    // worker's thread, when the next hops name egress interfaces (bind and mmap keep the socket's namespace).
    private void OpenRingSockets(ReplicationSettings settings, int sendBuffer, Action<int, int, Errno>? onRingUnavailable)
    {
        if (settings.PacketRingFrames == 0) return;
        // The send buffer bounds the frames in flight (their bytes count against it): room for the whole ring.
        int ringBuffer = (int)Math.Min(int.MaxValue, Math.Max(sendBuffer, (long)settings.PacketRingFrames * 4096));
        for (int i = 0; i < RingSockets; i++)
        {
            try
            {
                _rings.Add(new PacketRing(ReplicationSockets.OpenPacket(ringBuffer), settings.PacketRingFrames, Counters));
            }
            catch (NativeException e)
            {
                onRingUnavailable?.Invoke(_index, 0, e.Errno);
                return;
            }
        }
    }

    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("already started");
        _thread = new Thread(Run) { IsBackground = true, Name = $"vxsnd-replicate-{_index}" };
        _thread.Start();
    }

    /// <summary>Asks the loop to stop and waits for it (at most one receive timeout).</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
    }

    private int _disposed;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        int fd = _receive.Fd;
        int capacity = _ring.Capacity;
        while (!_stopping)
        {
            // Per iteration, never per datagram: an idle worker still comes round every receive timeout.
            _heartbeat?.Beat();
            _ring.Reset(capacity);
            // MSG_WAITFORONE: block for the first datagram (up to SO_RCVTIMEO), then take whatever
            // else is already queued without waiting for a full batch.
            int n = LibC.recvmmsg(fd, _ring.Messages, (uint)capacity, LibC.MSG_WAITFORONE, null);
            if (n > 0)
            {
                _processor.ProcessBatch(_ring, n, Stopwatch.GetTimestamp());
                continue;
            }
            if (n == 0) continue;
            Errno errno = LibC.LastErrno;
            if (errno is Errno.EAGAIN or Errno.EINTR) continue;
            if (errno is Errno.EBADF or Errno.ENOTSOCK)
            {
                // The socket is gone: this worker cannot receive again. Report it (the service
                // turns the node not-ready, which withdraws the anycast) and end the thread.
                if (!_stopping) _onReceiveError?.Invoke(_index, errno);
                return;
            }
            _onReceiveError?.Invoke(_index, errno);
            Thread.Sleep(10); // e.g. ENOMEM: back off rather than spin
        }
    }

    public void Dispose()
    {
        // Idempotent: a host may stop twice (StopAsync, then disposal), and freeing the native
        // rings twice would corrupt the heap.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Stop();
        _receive.Dispose();
        _send4?.Dispose();
        _send6?.Dispose();
        _packetSocket?.Dispose();
        _queue4?.Dispose();
        _queue6?.Dispose();
        _packet4?.Dispose();
        _packet6?.Dispose();
        foreach (PacketRing ring in _rings) ring.Dispose(); // unmaps and closes
        _ring.Dispose();
    }
}
