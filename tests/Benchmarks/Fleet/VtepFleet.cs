using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Authentication;
using Replicator.Linux.Native;
using Replicator.Protocol.Control;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// All simulated VTEPs. Receiving is one thread of its own (<see cref="FleetReceiver"/>: epoll over
/// every socket, recvmmsg, kernel receive timestamps), off the runtime's socket engine, so a few
/// thousand sockets cost one thread and convergence is timed at arrival. Sending is one scheduler
/// thread working through joins, refreshes (every
/// RefreshInterval less up to 25% jitter, response wanted, as vxrd) and leaves in due order. Every
/// registration is signed with the service node's key, every peer list verified. LossPercent of the
/// registrations are not sent and of the received datagrams discarded unseen, at random.
/// </summary>
internal sealed class VtepFleet : IDisposable
{
    private enum Kind { Join, Refresh, Resync, Retry, Leave, Quiet }

    private readonly FleetSettings _settings;
    private readonly AuthKeyRing _keys;
    private readonly IPEndPoint _serviceNode = new(FleetSettings.ServiceNodeAddress, FleetSettings.ControlPort);
    private readonly PriorityQueue<(int Vtep, int Epoch, Kind Kind), long> _schedule = new();
    private readonly Lock _scheduleGate = new();
    private readonly Random _random;
    private readonly Thread _sender;
    private readonly FleetReceiver _receiver;
    private readonly CancellationTokenSource _stop = new();
    private readonly long[] _resyncNotBefore;
    private readonly bool[] _resyncScheduled;
    private readonly DecodedDatagrams _decoded = new(); // the receive thread's
    private long _sent, _sentBytes, _sendErrors, _rejected, _resyncs, _retries, _lost, _lastJoinAt, _postponed;

    // The least a timer waits, once put off because its VTEP's socket still holds a datagram that arrived
    // before the timer was due (a VTEP with its own CPU would have read it first), before it looks again.
    private static readonly TimeSpan Postpone = TimeSpan.FromMilliseconds(20);

    public VtepFleet(FleetSettings settings, string ns, AuthKeyRing keys)
    {
        _settings = settings;
        _keys = keys;
        _random = new Random(settings.Seed);
        Target = new FleetMembership(settings.Vteps, i => settings.VnisOf(i), FleetSettings.VtepAddress);
        Tracker = new ConvergenceTracker(settings.Vteps * settings.VnisPerVtep);
        Vteps = FleetNetwork.Enter(ns, () =>
        {
            var vteps = new SimulatedVtep[settings.Vteps];
            for (int i = 0; i < vteps.Length; i++)
            {
                var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
                if (settings.VtepReceiveBufferBytes > 0)
                {
                    // Past net.core.rmem_max, as root may: the kernel doubles it for its bookkeeping.
                    var errno = LibC.SetIntOption((int)socket.Handle, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, settings.VtepReceiveBufferBytes);
                    if (errno != Errno.SUCCESS) throw new NativeException("SO_RCVBUFFORCE", errno);
                }
                socket.Bind(new IPEndPoint(FleetSettings.VtepAddress(i), 0));
                vteps[i] = new SimulatedVtep(i, settings.VnisOf(i), socket);
            }
            return vteps;
        });
        _resyncNotBefore = new long[Vteps.Length];
        _resyncScheduled = new bool[Vteps.Length];
        _receiver = new FleetReceiver(Vteps, _serviceNode, Handle);
        _sender = new Thread(SendLoop) { Name = "fleet-sender", IsBackground = true };
        _sender.Start();
    }

    public SimulatedVtep[] Vteps { get; }

    public FleetMembership Target { get; }

    public ConvergenceTracker Tracker { get; }

    /// <summary>Registrations the simulator sent (datagrams, bytes), send errors, received datagrams refused (bad MAC, malformed, not a peer list), resynchronising registrations.</summary>
    public (long Datagrams, long Bytes, long SendErrors, long Rejected, long Resyncs, long Retries, long Lost) Sent =>
        (Interlocked.Read(ref _sent), Interlocked.Read(ref _sentBytes), Interlocked.Read(ref _sendErrors), Interlocked.Read(ref _rejected),
            Interlocked.Read(ref _resyncs), Interlocked.Read(ref _retries), Interlocked.Read(ref _lost));

    /// <summary>Received datagrams identical to one decoded before (vxsnd sends one encoding to many), and those decoded.</summary>
    public (long Hits, long Misses) Decoded => _decoded.Counts;

    /// <summary>Datagrams the VTEP sockets dropped at full receive buffers (SO_RXQ_OVFL): the simulator fell behind.</summary>
    public long SocketDrops => _receiver.SocketDrops;

    /// <summary>Retries and resynchronisations postponed because the VTEP's socket still held unread datagrams; received datagrams too large for a slot; datagrams without a kernel timestamp.</summary>
    public (long Postponed, long Truncated, long WithoutTimestamp) Oddities =>
        (Interlocked.Read(ref _postponed), _receiver.Oddities.Truncated, _receiver.Oddities.WithoutTimestamp);

    /// <summary>Stopwatch timestamp of the last join or rejoin sent.</summary>
    public long LastJoinAt => Interlocked.Read(ref _lastJoinAt);

    public void ScheduleJoin(int vtep, TimeSpan fromNow) => Schedule(vtep, -1, Kind.Join, fromNow);

    public void ScheduleLeave(int vtep, TimeSpan fromNow) => Schedule(vtep, -1, Kind.Leave, fromNow);

    /// <summary>Jobs not yet due.</summary>
    public int Scheduled { get { lock (_scheduleGate) return _schedule.Count; } }

    private void Schedule(int vtep, int epoch, Kind kind, TimeSpan fromNow)
    {
        long due = Stopwatch.GetTimestamp() + (long)(fromNow.TotalSeconds * Stopwatch.Frequency);
        lock (_scheduleGate) _schedule.Enqueue((vtep, epoch, kind), due);
    }

    private void SendLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            (int Vtep, int Epoch, Kind Kind) job;
            long due;
            lock (_scheduleGate)
            {
                if (!_schedule.TryPeek(out job, out due) || due > Stopwatch.GetTimestamp()) job = (-1, 0, Kind.Join);
                else _schedule.Dequeue();
            }
            if (job.Vtep < 0)
            {
                Thread.Sleep(1);
                continue;
            }
            Run(Vteps[job.Vtep], job.Epoch, job.Kind, due);
        }
    }

    private void Run(SimulatedVtep vtep, int epoch, Kind kind, long due)
    {
        int nextEpoch;
        lock (vtep)
        {
            switch (kind)
            {
                case Kind.Join:
                    vtep.Joined = true;
                    vtep.Epoch++;
                    break;
                case Kind.Refresh when !vtep.Joined || vtep.Epoch != epoch:
                    return; // left (or rejoined) since this refresh was scheduled
                case Kind.Resync when vtep.Joined && Behind(vtep, kind, due):
                    return;
                case Kind.Resync:
                    lock (_resyncScheduled) _resyncScheduled[vtep.Index] = false;
                    if (!vtep.Joined) return;
                    Interlocked.Increment(ref _resyncs);
                    SendExpectingAnswer(vtep, nameIncomplete: true);
                    return; // the periodic refresh keeps its schedule
                case Kind.Retry when vtep.Joined && vtep.AwaitingAnswer && Behind(vtep, kind, due):
                    return;
                case Kind.Retry:
                    vtep.RetryPending = false;
                    if (!vtep.Joined) return;
                    if (!vtep.AwaitingAnswer)
                    {
                        vtep.RetryDelay = TimeSpan.FromSeconds(1);
                        return;
                    }
                    var doubled = vtep.RetryDelay * 2;
                    vtep.RetryDelay = doubled < _settings.RefreshInterval ? doubled : _settings.RefreshInterval;
                    Interlocked.Increment(ref _retries);
                    SendExpectingAnswer(vtep, nameIncomplete: true);
                    return;
                case Kind.Quiet when Behind(vtep, kind, due):
                    return; // the next part may be among the unread datagrams
                case Kind.Quiet:
                    CheckQuiet(vtep);
                    return;
                case Kind.Leave:
                    break;
            }
            nextEpoch = vtep.Epoch;
        }
        if (kind == Kind.Leave)
        {
            vtep.Leave(Tracker);
            Send(vtep, 0, WireResponseWanted.None);
            return;
        }
        // A join asks for lists of VNIs it holds nothing of (vxrd's SendPending); refreshes name the incomplete list, as vxrd's do.
        lock (vtep) SendExpectingAnswer(vtep, nameIncomplete: kind != Kind.Join);
        if (kind == Kind.Join) Interlocked.Exchange(ref _lastJoinAt, Stopwatch.GetTimestamp());
        Schedule(vtep.Index, nextEpoch, Kind.Refresh, _settings.RefreshInterval * (0.75 + 0.25 * _random.NextDouble()));
    }

    // The VTEP's socket holds a datagram that arrived before the timer was due and that the receive thread
    // has not read yet (peeked with its kernel timestamp): a VTEP with its own CPU would have read it first,
    // so the timer is put off, not doubled, and the simulator falling behind does not make VTEPs register again.
    private bool Behind(SimulatedVtep vtep, Kind kind, long due)
    {
        long oldest = FleetReceiver.OldestUnreadArrival((int)vtep.Socket.Handle);
        if (oldest == 0 || oldest > due) return false;
        Interlocked.Increment(ref _postponed);
        // The receive thread needs about as long as it is behind to reach the present: looking again
        // sooner only costs the simulator's CPU (peeks by the hundred thousand at 5,000 VTEPs).
        var behind = Stopwatch.GetElapsedTime(oldest);
        Schedule(vtep.Index, -1, kind, behind > Postpone ? behind : Postpone);
        return true;
    }

    // A registration that wants its lists; unanswered, it is sent again after 1, 2, 4 ... s (vxrd's
    // Registrar), which is what brings a fleet back quickly after a service-node restart. Under the VTEP's lock.
    private void SendExpectingAnswer(SimulatedVtep vtep, bool nameIncomplete)
    {
        if (!vtep.AwaitingAnswer) vtep.RetryDelay = TimeSpan.FromSeconds(1);
        Send(vtep, (uint)_settings.HoldTime.TotalSeconds, WireResponseWanted.RegisteredVnis, nameIncomplete);
        Interlocked.Exchange(ref vtep.LastSend, Stopwatch.GetTimestamp());
        if (vtep.RetryPending) return;
        vtep.RetryPending = true;
        Schedule(vtep.Index, -1, Kind.Retry, vtep.RetryDelay);
    }

    private void Send(SimulatedVtep vtep, uint holdSeconds, WireResponseWanted wanted, bool nameIncomplete = false)
    {
        bool deltas = _settings.Deltas && holdSeconds > 0;
        var message = new RegisterMessage(vtep.NodeId, holdSeconds, Relayed: false, wanted, vtep.Registration)
        {
            Generations = deltas ? vtep.HeldGenerations() : null,
            Incomplete = deltas && nameIncomplete ? vtep.NewestIncomplete() : null,
        };
        foreach (byte[] datagram in ControlCodec.EncodeRegister(message, reserveAuthenticationTrailer: true))
        {
            _keys.Sign(datagram, TimeProvider.System);
            if (Lose())
            {
                Interlocked.Increment(ref _lost);
                continue;
            }
            try
            {
                vtep.Socket.SendTo(datagram, SocketFlags.None, _serviceNode);
                Interlocked.Increment(ref _sent);
                Interlocked.Add(ref _sentBytes, datagram.Length);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _sendErrors);
            }
        }
    }

    // Loss is injected here, not with tc netem: this kernel has neither sch_netem nor act_gact.
    private bool Lose() => _settings.LossPercent > 0 && Random.Shared.NextDouble() * 100 < _settings.LossPercent;

    private void Handle(int index, ReadOnlySpan<byte> datagram, IPEndPoint sender, long arrivedAt)
    {
        var vtep = Vteps[index];
        if (Lose())
        {
            Interlocked.Increment(ref _lost);
            return;
        }
        Interlocked.Increment(ref vtep.Datagrams);
        Interlocked.Add(ref vtep.Bytes, datagram.Length);
        if (_decoded.GetOrDecode(datagram, VerifyAndDecode) is not { } list)
        {
            Interlocked.Increment(ref _rejected);
            return;
        }
        switch (vtep.Receive(sender, list, arrivedAt, Target, Tracker))
        {
            case ReceiveOutcome.Resync:
                RequestResync(vtep);
                break;
            case ReceiveOutcome.PartPending:
                ScheduleQuietCheck(vtep, arrivedAt + SimulatedVtep.QuietLimitTicks);
                break;
        }
    }

    // What every VTEP does with a datagram before it looks at it: the MAC, then the codec (once per distinct datagram: DecodedDatagrams).
    private PeerListMessage? VerifyAndDecode(byte[] datagram) =>
        ControlAuthenticator.TryReadTrailer(datagram, out var trailer) && _keys.VerifyMac(datagram, trailer.KeyId) == ControlVerification.Ok
            && ControlCodec.TryDecode(datagram, out var message, out _) && message is PeerListMessage list ? list : null;

    // One check per VTEP at a time, at the time its latest part's list would have gone quiet.
    private void ScheduleQuietCheck(SimulatedVtep vtep, long due)
    {
        lock (vtep)
        {
            if (vtep.QuietCheckPending) return;
            vtep.QuietCheckPending = true;
        }
        lock (_scheduleGate) _schedule.Enqueue((vtep.Index, -1, Kind.Quiet), due);
    }

    // Under the VTEP's lock (Run). A list quiet for vxrd's limit makes the VTEP register again (at most once
    // a second), its parts kept for the repeated answer; a list still receiving parts, or just repaired, is
    // looked at again after another quiet period.
    private void CheckQuiet(SimulatedVtep vtep)
    {
        vtep.QuietCheckPending = false;
        if (vtep.LastPartAt == 0) return;
        long due = vtep.LastPartAt + SimulatedVtep.QuietLimitTicks;
        if (Stopwatch.GetTimestamp() < due)
        {
            ScheduleQuietCheck(vtep, due);
            return;
        }
        var (quiet, next) = vtep.RepairQuiet();
        if (quiet > 0 && vtep.Joined) RequestResync(vtep);
        if (next != 0) ScheduleQuietCheck(vtep, next);
    }

    // A delta out of step: register again at once, at most once a second per VTEP (as vxrd), so the
    // answer repairs the list with a delta or the full list.
    private void RequestResync(SimulatedVtep vtep)
    {
        long now = Stopwatch.GetTimestamp();
        long due;
        lock (_resyncScheduled)
        {
            if (_resyncScheduled[vtep.Index]) return;
            _resyncScheduled[vtep.Index] = true;
            due = Math.Max(now, _resyncNotBefore[vtep.Index]);
            _resyncNotBefore[vtep.Index] = due + Stopwatch.Frequency;
        }
        lock (_scheduleGate) _schedule.Enqueue((vtep.Index, -1, Kind.Resync), due);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sender.Join(TimeSpan.FromSeconds(5));
        _receiver.Dispose();
        foreach (var vtep in Vteps) vtep.Socket.Dispose();
        _stop.Dispose();
    }
}
