using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;
using EntrySource = Replicator.ServiceNode.Registry.EntrySource;

namespace Replicator.ServiceNode.Tests.Cluster;

/// <summary>Whole nodes in one process on distinct loopback addresses: relay, start-up sync, keepalives.</summary>
public sealed class ClusterLoopbackTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vxsnd-cluster-").FullName;
    private readonly int _controlPort = Random.Shared.Next(20000, 30000);
    private readonly int _syncPort = Random.Shared.Next(30000, 40000);
    private readonly IPAddress[] _addresses;

    public ClusterLoopbackTests()
    {
        int b = Random.Shared.Next(2, 250);
        _addresses = [IPAddress.Parse($"127.0.{b}.1"), IPAddress.Parse($"127.0.{b}.2"), IPAddress.Parse($"127.0.{b}.3")];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The test VTEPs send from loopback and register documentation addresses, which only a signed
    // registration may do: every node holds this key unless a test gives another.
    private const byte VtepKey = 0x33;

    private Task<InProcessNode> Start(int index, int count, TimeSpan? syncTimeout = null, string? authKeyFile = null, IPAddress? anycast = null) =>
        InProcessNode.StartAsync(_addresses[index], _controlPort, _syncPort, _addresses.Take(count).Where((_, i) => i != index), _directory, syncTimeout,
            authKeyFile ?? KeyFile("vtep.keys", VtepKey), anycast);

    private string KeyFile(string name, byte fill)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, $"1 hex:{Convert.ToHexString(Enumerable.Repeat(fill, 32).ToArray())} primary\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static byte[] SignedRegister(string node, uint vni, string address, byte fill, uint hold = 90,
        Protocol.Control.WireResponseWanted response = Protocol.Control.WireResponseWanted.None)
    {
        var datagram = ControlCodec.Encode(new RegisterMessage(node, hold, false, response,
            [new VniAddresses(vni, [IPAddress.Parse(address)])]), reserveAuthenticationTrailer: true);
        ControlAuthenticator.Sign(datagram, Enumerable.Repeat(fill, 32).ToArray(), 1, TimeProvider.System);
        return datagram;
    }

    private static byte[] Register(string node, uint hold, uint vni, string address) => SignedRegister(node, vni, address, VtepKey, hold);

    private static async Task Eventually(Func<Task<bool>> condition, string what, int timeoutMs = 5000)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.ElapsedMilliseconds > timeoutMs) Assert.Fail($"not within {timeoutMs} ms: {what}");
            await Task.Delay(20);
        }
    }

    private static VtepAddress V(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    [Fact]
    public async Task Relay_RegistrationToFirst_SecondHoldsItAsRelayedAndNeverRelaysBack()
    {
        await using var first = await Start(0, 2);
        await using var second = await Start(1, 2);
        using var vtep = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        vtep.SendTo(Register("vtep-a", 90, 100, "192.0.2.1"), first.ControlEndPoint);

        await Eventually(() => second.OnLoop(r => r.Contains(100, V("192.0.2.1"))), "relayed entry on the second node");
        var view = Assert.Single(await second.OnLoop(r => r.GetEntries()));
        Assert.Equal((EntrySource.Relayed, "vtep-a"), (view.Source, view.NodeId));
        Assert.Equal(EntrySource.Registered, Assert.Single(await first.OnLoop(r => r.GetEntries())).Source);

        // Withdrawals travel the same way.
        vtep.SendTo(Register("vtep-a", 0, 100, "192.0.2.1"), first.ControlEndPoint);
        await Eventually(async () => await second.OnLoop(r => r.EntryCount) == 0, "withdrawal relayed");
        await Task.Delay(100);
        Assert.Equal(2, first.Status.RegistrationsRelayed);
        Assert.Equal(0, second.Status.RegistrationsRelayed);
        Assert.Equal(2, second.Status.RelayedReceived);
    }

    /// <summary>
    /// What vxrd needs in a cluster: it accepts peer lists only from the address it registers with
    /// (the anycast), while peers recognise relays by the node's own address.
    /// </summary>
    [Fact]
    public async Task Anycast_VtepRegistersWithIt_AnswersAndPushesComeFromItRelaysFromTheNodeAddress()
    {
        var anycast = IPAddress.Parse($"127.0.{_addresses[0].GetAddressBytes()[2]}.100");
        await using var first = await Start(0, 2, anycast: anycast);
        await using var second = await Start(1, 2);
        Assert.Equal(new IPEndPoint(anycast, _controlPort), first.AnycastEndPoint);
        using var a = Vtep();
        using var b = Vtep();

        a.SendTo(Ask("vtep-a", "192.0.2.1"), first.AnycastEndPoint!);
        var answer = ReceivePeerList(a, out var answeredFrom);
        Assert.Equal(first.AnycastEndPoint, answeredFrom);
        Assert.Contains(IPAddress.Parse("192.0.2.1"), answer.Vnis[0].Addresses);

        // A second VTEP joins: the first hears of it by a push, from the anycast address as well.
        b.SendTo(Ask("vtep-b", "192.0.2.2"), first.AnycastEndPoint!);
        ReceivePeerList(b, out _);
        PeerListMessage push;
        IPEndPoint pushedFrom;
        do push = ReceivePeerList(a, out pushedFrom); // skips the push of a's own arrival
        while (push.Vnis[0].Addresses.Count < 2);
        Assert.Equal(first.AnycastEndPoint, pushedFrom);

        // The relays reached the second node from the first's own address: it knows who sent them.
        await Eventually(() => second.OnLoop(r => r.EntryCount == 2), "both registrations relayed");
        Assert.Equal(2, second.Status.RelayedReceived);
        Assert.NotNull(second.Status.Peers[0].LastHeardSecondsAgo);

        // Whoever writes to the node address is answered from it.
        using var direct = Vtep();
        direct.SendTo(Ask("vtep-c", "192.0.2.3"), first.ControlEndPoint);
        ReceivePeerList(direct, out var directFrom);
        Assert.Equal(first.ControlEndPoint, directFrom);
    }

    private static Socket Vtep()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static byte[] Ask(string node, string address) =>
        SignedRegister(node, 100, address, VtepKey, response: Protocol.Control.WireResponseWanted.RegisteredVnis);

    private static PeerListMessage ReceivePeerList(Socket socket, out IPEndPoint from)
    {
        var buffer = new byte[ControlLimits.MaxDatagramBytes];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        int n = socket.ReceiveFrom(buffer, ref any);
        from = (IPEndPoint)any;
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out var error), error.ToString());
        return Assert.IsType<PeerListMessage>(message);
    }

    [Fact]
    public async Task Keepalive_TwoNodes_EachSeesTheOtherReachable()
    {
        await using var first = await Start(0, 2);
        await using var second = await Start(1, 2);

        await Eventually(() => Task.FromResult(first.Status.Peers[0].Reachable && second.Status.Peers[0].Reachable), "peers reachable");
        Assert.True(first.Status.KeepalivesReceived > 0);
        Assert.Equal(0, first.Status.RegistrationsRelayed); // keepalives are not relays
    }

    [Fact]
    public async Task StartupSync_RestartedNode_HoldsFullTableWhenStartReturns()
    {
        var first = await Start(0, 2);
        await using var second = await Start(1, 2);
        using var vtep = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 1; i <= 3; i++) vtep.SendTo(Register($"vtep-{i}", 90, 100, $"192.0.2.{i}"), first.ControlEndPoint);
        await Eventually(async () => await second.OnLoop(r => r.EntryCount) == 3, "three entries relayed");
        await first.DisposeAsync();

        await using var restarted = await Start(0, 2);

        // No waiting: start returned, so the table is already merged (before the control socket opened).
        Assert.Equal(3, await restarted.OnLoop(r => r.EntryCount));
        var status = restarted.Status;
        Assert.True(status.Synced);
        Assert.Equal(3, status.Peers[0].LastSyncEntries);
        Assert.Null(status.Peers[0].LastSyncError);
        Assert.All(await restarted.OnLoop(r => r.GetEntries()), v => Assert.InRange(v.Remaining!.Value.TotalSeconds, 80, 90));
    }

    [Theory]
    [InlineData(0x11, 3)] // same key: the signed table is accepted
    [InlineData(0x22, 0)] // another key: every frame is refused, the node starts empty
    public async Task StartupSync_WithAuthKeyFile_AcceptsOnlyTablesSignedWithAListedKey(byte restartedKey, int expectedEntries)
    {
        string clusterKey = KeyFile("cluster.keys", 0x11);
        var first = await Start(0, 2, authKeyFile: clusterKey);
        await using var second = await Start(1, 2, authKeyFile: clusterKey);
        using var vtep = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 1; i <= 3; i++) vtep.SendTo(SignedRegister($"vtep-{i}", 100, $"192.0.2.{i}", 0x11), first.ControlEndPoint);
        await Eventually(async () => await second.OnLoop(r => r.EntryCount) == 3, "three signed entries relayed");
        await first.DisposeAsync();

        await using var restarted = await Start(0, 2, TimeSpan.FromMilliseconds(1500), KeyFile("restarted.keys", restartedKey));

        Assert.Equal(expectedEntries, await restarted.OnLoop(r => r.EntryCount));
        if (expectedEntries == 0) Assert.Contains("authentication", restarted.Status.Peers[0].LastSyncError);
    }

    [Fact]
    public async Task StartupSync_NoPeerAnswers_StartsEmptyAfterTimeout()
    {
        var watch = Stopwatch.StartNew();
        await using var lonely = await Start(0, 2, TimeSpan.FromMilliseconds(700));

        Assert.InRange(watch.ElapsedMilliseconds, 600, 5000);
        var status = lonely.Status;
        Assert.True(status.Synced);
        Assert.NotNull(status.Peers[0].LastSyncError);
        Assert.Equal(0, await lonely.OnLoop(r => r.EntryCount));
    }

    [Fact]
    public async Task Relay_ThreeNodeMeshUnderBurst_EachRegistrationAppliedOncePerNodeNoLoops()
    {
        await using var a = await Start(0, 3);
        await using var b = await Start(1, 3);
        await using var c = await Start(2, 3);
        InProcessNode[] nodes = [a, b, c];
        const int PerNode = 100;
        string[] prefixes = ["192.0.2.", "198.51.100.", "203.0.113."]; // distinct VTEPs: a reused address with a new node id is a restart
        using var vtep = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 0; i < PerNode; i++)
        {
            for (int n = 0; n < 3; n++)
                vtep.SendTo(Register($"vtep-{n}-{i}", 90, (uint)(1000 + i), $"{prefixes[n]}{i + 1}"), nodes[n].ControlEndPoint);
            if (i % 20 == 19) await Task.Delay(5); // a burst, but within the default socket buffers
        }

        foreach (var node in nodes)
            await Eventually(async () => await node.OnLoop(r => r.EntryCount) == 3 * PerNode, $"{node.Address} holds all entries");
        await Task.Delay(300); // anything looping would show up in the counters by now
        foreach (var node in nodes)
        {
            var status = node.Status;
            Assert.Equal(2 * PerNode, status.RegistrationsRelayed); // each own registration, once to each of 2 peers
            Assert.Equal(2 * PerNode, status.RelayedReceived); // each other node's registrations, once
        }
    }
}
