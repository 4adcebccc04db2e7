using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Linux.Links;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;
using Replicator.ServiceNode.Tests.Loopback;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Control;

/// <summary>
/// Issue 19, "no list stalls under loss", over real sockets: a real vxsnd (in-process, loopback) and vxrd's
/// real registration path (its UDP control channel, assembler and daemon core) with a lossy relay between
/// them that drops chosen datagrams. The refresh interval is 30 s, so convergence within a few seconds can
/// only come from the repair rules (PROTOCOL.md 5.2), not from a refresh.
/// </summary>
public sealed class LossyControlPathTests(ITestOutputHelper output)
{
    private const uint Vni = 100;
    private const int Members = 300; // IPv6 static entries: a full list of four parts
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task FirstFullList_PartAndCurrentGenerationStatementLost_RepairedByIncompleteListRule()
    {
        bool partDropped = false, statementDropped = false;
        await RunAsync(list =>
        {
            if (!partDropped && list.PartCount > 1 && list.PartIndex == 1) return partDropped = true;
            // The service node's statement of the current generation after that answer: lost too.
            if (partDropped && !statementDropped && list.Deltas is { Count: > 0 }) return statementDropped = true;
            return false;
        }, expectDrops: 2);
        Assert.True(partDropped);
    }

    /// <summary>
    /// The case only vxrd's rule closes: contact is established (no retry pending), then a pushed chain of
    /// deltas split over parts loses a part, and everything after it is lost too (the rest of the list, later
    /// pushes, the statement of the current generation) until vxrd registers again. Without the rule nothing
    /// would make it register before its refresh (22.5 s or more here).
    /// </summary>
    [Fact]
    public async Task PushedDeltas_PartAndEverythingAfterLost_RepairedWithinSeconds()
    {
        bool armed = false;
        int silentUntil = -1; // every peer list is lost until vxrd's registrations reach this count
        LossyRelay? relayed = null;
        await RunAsync(list =>
        {
            if (!Volatile.Read(ref armed)) return false;
            if (silentUntil < 0)
            {
                if (list.PartCount <= 1 || list.PartIndex != 1) return false;
                silentUntil = relayed!.Registrations + 1;
                return true;
            }
            return relayed!.Registrations < silentUntil;
        }, expectDrops: null, afterConverged: async (core, relay) =>
        {
            relayed = relay;
            Volatile.Write(ref armed, true);
            // A join wave of 400 VTEPs (loopback addresses, one socket each) within a few push windows: the
            // members get chains of single-address steps, several datagrams each.
            var joiners = Enumerable.Range(0, Joiners).Select(i => new IPAddress([127, 1, (byte)(i / 200), (byte)(1 + i % 200)])).ToList();
            foreach (var address in joiners)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(address, 0));
                var register = new RegisterMessage("joiner-" + address, 90, false, WireResponseWanted.None, [new VniAddresses(Vni, [address])]);
                socket.SendTo(ControlCodec.Encode(register), relay.ServiceNode);
            }
            await Task.CompletedTask;
            return () => silentUntil >= 0 && relay.Registrations >= silentUntil && relay.LastNamedGeneration is { } g && core.HeldGeneration(Vni) == g;
        });
    }

    private const int Joiners = 400;

    [Fact]
    public async Task FirstFullList_EveryPartButTheFirstLostTwice_Converges()
    {
        int lost = 0;
        await RunAsync(list => list.PartCount > 1 && list.PartIndex > 0 && lost++ < 2 * 3, expectDrops: 6);
    }

    /// <summary>
    /// The repair names the parts held (Register key 7, PROTOCOL.md 5.2), so the answer brings only the missing
    /// ones under the same message: the first full list loses part 1, and its first repeat is lost too; the
    /// VTEP keeps the other parts throughout and completes from the second repeat, and no other part is sent again.
    /// </summary>
    [Fact]
    public async Task FirstFullList_PartLostAndItsFirstRepeatLost_OnlyThatPartSentAgainUntilComplete()
    {
        var copies = new Dictionary<ushort, int>(); // per part index: how often a part of a full list came
        var messageGenerations = new HashSet<uint>();
        await RunAsync(list =>
        {
            if (list.PartCount <= 1 || list.Generations is null) return false;
            messageGenerations.Add(list.Generation);
            int copy = copies[list.PartIndex] = copies.GetValueOrDefault(list.PartIndex) + 1;
            return list.PartIndex == 1 && copy <= 2;
        }, expectDrops: 2);
        Assert.Equal(3, copies[1]);
        Assert.All(copies.Where(c => c.Key != 1), c => Assert.Equal(1, c.Value));
        // The same generations, the same message: the repeats carried the first answer's message generation.
        Assert.Single(messageGenerations);
    }

    /// <summary>
    /// Issue 19 at 5,000 VTEPs: a part is lost while the VNI's generation moves on (a VTEP joins) before the
    /// repair. The repair names the incomplete list; the answer is the missing part of that same message and
    /// then the delta from its generation to the current one, so the VTEP completes the list and ends at the
    /// current generation without a new full list.
    /// </summary>
    [Fact]
    public async Task FirstFullList_PartLostThenGenerationMovesOn_MissingPartAndDeltasEndAtTheCurrentGeneration()
    {
        var copies = new Dictionary<ushort, int>();
        var messageGenerations = new HashSet<uint>();
        LossyRelay? relayed = null;
        using var joiner = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        joiner.Bind(new IPEndPoint(IPAddress.Parse("127.1.0.1"), 0));
        await RunAsync(list =>
        {
            if (list.PartCount <= 1 || list.Generations is null) return false;
            messageGenerations.Add(list.Generation);
            int copy = copies[list.PartIndex] = copies.GetValueOrDefault(list.PartIndex) + 1;
            if (list.PartIndex != 1 || copy != 1) return false;
            // Part 1 is lost, and before vxrd can repair it another VTEP joins: the VNI's generation moves on.
            var register = new RegisterMessage("joiner", 90, false, WireResponseWanted.None, [new VniAddresses(Vni, [IPAddress.Parse("127.1.0.1")])]);
            joiner.SendTo(ControlCodec.Encode(register), relayed!.ServiceNode);
            return true;
        }, expectDrops: 1, beforeStart: relay => relayed = relay,
        converged: core => relayed!.LastNamedGeneration is { } g && core.HeldGeneration(Vni) == g && copies.GetValueOrDefault((ushort)1) == 2 && Peers(core) == Members);
        Assert.All(copies.Where(c => c.Key != 1), c => Assert.Equal(1, c.Value)); // no new full list
        Assert.Single(messageGenerations);
    }

    /// <param name="converged">When vxrd counts as converged; null: it holds a generation and every static member.</param>
    private async Task RunAsync(Func<PeerListMessage, bool> drop, int? expectDrops, Func<DaemonCore, LossyRelay, Task<Func<bool>>>? afterConverged = null,
        Action<LossyRelay>? beforeStart = null, Func<DaemonCore, bool>? converged = null)
    {
        var directory = Directory.CreateTempSubdirectory("lossy-control-");
        File.WriteAllLines(Path.Combine(directory.FullName, "static-entries"), Enumerable.Range(1, Members).Select(i => $"{Vni} 2001:db8::{i:x}"));
        await using var vxsnd = await ServiceNodeProcess.StartAsync(IPAddress.Loopback, directory.FullName);
        using var relay = new LossyRelay(vxsnd.Control, drop);
        beforeStart?.Invoke(relay);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var time = TimeProvider.System;
        var registrationMetrics = new RegistrationMetrics(meters, time);
        var settings = new StaticSettings(IPAddress.Loopback, relay.Front.Port, null, TimeSpan.FromMinutes(10), [], Path.Combine(directory.FullName, "vxrd.sock"));
        using var channel = new UdpControlChannel(settings, registrationMetrics, NullLogger<UdpControlChannel>.Instance);
        var core = new DaemonCore(settings, new RuntimeSettings(ReplicationMode.HeadEnd, TimeSpan.FromSeconds(90), 3), new NullFdb(), channel, time,
            new Random(1), registrationMetrics, new ReconcileMetrics(meters), NullLogger<DaemonCore>.Instance);
        using var cts = new CancellationTokenSource(Deadline + TimeSpan.FromSeconds(10));
        var updates = Channel.CreateUnbounded<PeerListUpdate>();
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var u in channel.ReceiveAsync(cts.Token)) updates.Writer.TryWrite(u);
            }
            catch (OperationCanceledException)
            {
            }
        });
        try
        {
            // The daemon loop's work, one thread: a VXLAN device of VNI 100 appears, then peer lists and the timer.
            core.OnLinks(LinkEvent.Resync(LinkResyncReason.Initial, [Device()]));
            async Task DriveUntil(Func<bool> done, string what)
            {
                var from = DateTime.UtcNow;
                while (!done())
                {
                    Assert.True(DateTime.UtcNow - from < Deadline,
                        $"{what}: vxrd holds {Peers(core)} members, generation {core.HeldGeneration(Vni)} (last named {relay.LastNamedGeneration}), after {relay.Dropped} drops and {relay.Registrations} registrations");
                    var wait = core.NextDue - time.GetUtcNow();
                    if (wait > TimeSpan.FromMilliseconds(20)) wait = TimeSpan.FromMilliseconds(20);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                    while (updates.Reader.TryRead(out var u)) core.OnPeerList(u);
                    core.OnTimer();
                }
                output.WriteLine($"{what} {(DateTime.UtcNow - from).TotalMilliseconds:0} ms: {relay.Dropped} datagrams dropped, {relay.Registrations} registrations so far");
            }

            await DriveUntil(() => (converged ?? Converged)(core), "converged after the device appeared");
            if (afterConverged is not null) await DriveUntil(await afterConverged(core, relay), "converged after the change");
            foreach (var line in relay.Log) output.WriteLine(line);
            if (expectDrops is { } drops) Assert.Equal(drops, relay.Dropped);
            else Assert.True(relay.Dropped > 0);
        }
        finally
        {
            cts.Cancel();
            await pump;
            try { directory.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static bool Converged(DaemonCore core) => core.HeldGeneration(Vni) != 0 && Peers(core) == Members;

    private static int Peers(DaemonCore core)
    {
        core.Publish();
        return core.Snapshot.Peers.Count(p => p.Vni == Vni);
    }

    private static LinkInfo Device() => new()
    {
        Index = 10,
        Name = "vxlan100",
        Kind = LinkInfo.VxlanKind,
        Flags = Nl.IFF_UP,
        OperState = LinkOperState.Unknown,
        Vxlan = new VxlanAttributes { Vni = Vni, Local = IPAddress.Loopback, DestinationPort = 4789 },
    };

    /// <summary>No kernel here: the core's default destinations go nowhere.</summary>
    private sealed class NullFdb : IFdbTable
    {
        public Errno Dump(int ifIndex, out IReadOnlyList<IPAddress> destinations)
        {
            destinations = [];
            return Errno.SUCCESS;
        }

        public Errno Append(int ifIndex, IPAddress destination) => Errno.SUCCESS;

        public Errno Delete(int ifIndex, IPAddress destination) => Errno.SUCCESS;
    }

    /// <summary>
    /// Stands where vxrd expects its service node (<see cref="Front"/>) and passes datagrams both ways;
    /// a peer list for which <c>drop</c> says true never reaches vxrd.
    /// </summary>
    private sealed class LossyRelay : IDisposable
    {
        private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _loops;
        private volatile IPEndPoint? _vxrd;
        private int _dropped, _registrations;
        private long _lastNamed = -1;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        /// <summary>What passed and what was dropped, for the test's output.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

        public LossyRelay(IPEndPoint serviceNode, Func<PeerListMessage, bool> drop)
        {
            _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Front = (IPEndPoint)_front.LocalEndPoint!;
            ServiceNode = serviceNode;
            _loops = [Task.Run(() => UpAsync(serviceNode)), Task.Run(() => DownAsync(drop))];
        }

        public IPEndPoint Front { get; }

        public IPEndPoint ServiceNode { get; }

        /// <summary>The generation of VNI 100 the latest peer list towards vxrd named (delivered or not).</summary>
        public uint? LastNamedGeneration => Interlocked.Read(ref _lastNamed) is >= 0 and var g ? (uint)g : null;

        public int Dropped => Volatile.Read(ref _dropped);

        public int Registrations => Volatile.Read(ref _registrations);

        private async Task UpAsync(IPEndPoint serviceNode)
        {
            var buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult r;
                try
                {
                    r = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                _vxrd = (IPEndPoint)r.RemoteEndPoint;
                Interlocked.Increment(ref _registrations);
                if (ControlCodec.TryDecode(buffer.AsSpan(0, r.ReceivedBytes), out var up, out _) && up is RegisterMessage reg)
                    Log.Enqueue($"{_clock.ElapsedMilliseconds,6} ms up   register holding {string.Join(",", reg.Generations?.Select(g => g.Generation) ?? [])} cookie {reg.Cookie is not null}");
                await _back.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, serviceNode);
            }
        }

        private async Task DownAsync(Func<PeerListMessage, bool> drop)
        {
            var buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult r;
                try
                {
                    r = await _back.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                var list = ControlCodec.TryDecode(buffer.AsSpan(0, r.ReceivedBytes), out var message, out _) ? message as PeerListMessage : null;
                if (list?.Deltas is { Count: > 0 } deltas) Interlocked.Exchange(ref _lastNamed, deltas[^1].Generation);
                else if (list?.Generations is { } named && named.Any(g => g.Vni == Vni)) Interlocked.Exchange(ref _lastNamed, named.First(g => g.Vni == Vni).Generation);
                bool dropping = list is not null && drop(list);
                if (list is not null)
                    Log.Enqueue($"{_clock.ElapsedMilliseconds,6} ms down {(dropping ? "DROP" : "pass")} part {list.PartIndex}/{list.PartCount} vnis {list.Vnis.Count} deltas {list.Deltas?.Count ?? 0} last {(list.Deltas is { Count: > 0 } d ? $"{d[^1].BaseGeneration}->{d[^1].Generation}" : "-")}");
                if (dropping)
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }
                if (_vxrd is { } to) await _front.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, to);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _front.Dispose();
            _back.Dispose();
            Task.WaitAll(_loops, TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
