using System.Diagnostics;
using System.Net;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Management.Cli;
using Replicator.ServiceNode.Tests.Hardening;

namespace Replicator.ServiceNode.Tests.Loopback;

/// <summary>The real daemon on 127.0.0.1 and ::1, driven through UDP and its CLI.</summary>
public sealed class ServiceNodeLoopbackTests
{
    public static TheoryData<string> Loopbacks => new() { "127.0.0.1", "::1" };

    private static IPAddress Vtep(string loopback, int n) =>
        IPAddress.Parse(loopback.Contains(':') ? $"2001:db8::{n}" : $"198.51.100.{n}"); // not 192.0.2.x: on some hosts that is the node's own

    /// <summary>
    /// A key file for a daemon whose test VTEPs register documentation addresses from a loopback
    /// source: without a signature a registration may only name its own source address.
    /// </summary>
    private static (string Argument, AuthKeyRing Ring) Keys()
    {
        var (path, ring) = HardeningFixture.WriteKeyFile(Directory.CreateTempSubdirectory("vxsnd-test-keys").FullName);
        return ($"--ServiceNode:Authentication:KeyFile={path}", ring);
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task Register_AppearsInFdbJson(string loopback)
    {
        var (keyFile, keys) = Keys();
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Parse(loopback), null, keyFile);
        using var vtep = new TestVtep(node.Control, keys);
        await vtep.RegisterAsync("vtep-a", 90, WireResponseWanted.None, 100, Vtep(loopback, 1));

        var entry = await Eventually(async () => (await node.FdbAsync()).SingleOrDefault());
        Assert.Equal(100u, entry.Vni);
        Assert.Equal(Vtep(loopback, 1).ToString(), entry.Address);
        Assert.Equal("vtep-a", entry.NodeId);
        Assert.Equal("registered", entry.Source);
        Assert.InRange(entry.HoldRemaining!.Value, 85, 90);
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task JoinAndWithdraw_MemberGetsPushedPeerListWithinOneSecond(string loopback)
    {
        var (keyFile, keys) = Keys();
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Parse(loopback), null, keyFile);
        using var a = new TestVtep(node.Control, keys);
        using var b = new TestVtep(node.Control, keys);
        IPAddress addressA = Vtep(loopback, 1), addressB = Vtep(loopback, 2);

        await a.RegisterAsync("vtep-a", 90, WireResponseWanted.RegisteredVnis, 200, addressA);
        Assert.NotNull(await a.WaitForPeerListAsync(200, m => m.Contains(addressA), TimeSpan.FromSeconds(5))); // the answer
        await Task.Delay(150); // past the coalescing window of A's own join

        var clock = Stopwatch.StartNew();
        await b.RegisterAsync("vtep-b", 90, WireResponseWanted.None, 200, addressB);
        var pushed = await a.WaitForPeerListAsync(200, m => m.Contains(addressB), TimeSpan.FromSeconds(5));
        Assert.NotNull(pushed); // within the wait's 5 s: milliseconds on a quiet machine, a deadline only a busy one needs

        clock.Restart();
        await b.RegisterAsync("vtep-b", 0, WireResponseWanted.None, 200, addressB);
        var afterWithdraw = await a.WaitForPeerListAsync(200, m => !m.Contains(addressB), TimeSpan.FromSeconds(5));
        Assert.NotNull(afterWithdraw);
        Assert.Equal([addressA], afterWithdraw);
    }

    [Fact]
    public async Task TryLearn_UnregisteredSender_LearnedWithHoldTime()
    {
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Loopback, null, "--ServiceNode:Registry:HoldTime=00:00:40");
        var writer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Replicator.ServiceNode.Registry.IRegistryWriter>(node.Services);
        Assert.True(writer.TryLearn(600, [198, 51, 100, 4], ipv6: false));
        Assert.False(writer.TryLearn(600, [198, 51, 100], ipv6: false));
        var entry = await Eventually(async () => (await node.FdbAsync()).SingleOrDefault());
        Assert.Equal(("198.51.100.4", "learned"), (entry.Address, entry.Source));
        Assert.InRange(entry.HoldRemaining!.Value, 35, 40);
    }

    [Fact]
    public async Task ShortHoldTime_EntryExpires()
    {
        var (keyFile, keys) = Keys();
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Loopback, null, keyFile);
        using var vtep = new TestVtep(node.Control, keys);
        await vtep.RegisterAsync("vtep-a", 1, WireResponseWanted.None, 300, Vtep("127.0.0.1", 1));
        await Eventually(async () => (await node.FdbAsync()).SingleOrDefault());
        var gone = await Eventually(async () => (await node.FdbAsync()).Count == 0 ? "gone" : null, TimeSpan.FromSeconds(5));
        Assert.Equal("gone", gone);
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task StaticEntries_SurviveRestart(string loopback)
    {
        var first = await ServiceNodeProcess.StartAsync(IPAddress.Parse(loopback));
        Assert.Equal(0, (await first.CliAsync("fdb", "add", "400", Vtep(loopback, 9).ToString())).ExitCode);
        Assert.Equal(0, await first.StopAsync());
        Assert.False(File.Exists(first.Socket));

        await using var second = await ServiceNodeProcess.StartAsync(IPAddress.Parse(loopback), first.Directory);
        var entry = Assert.Single(await second.FdbAsync());
        Assert.Equal(400u, entry.Vni);
        Assert.Equal("static", entry.Source);
        Assert.Null(entry.HoldRemaining);
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task GarbageDatagrams_RegistryUnchangedAndCounted(string loopback)
    {
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Parse(loopback));
        using var vtep = new TestVtep(node.Control); // unsigned: garbage must reach the decoder, not stop at a missing signature
        Assert.Equal(0, (await node.CliAsync("fdb", "add", "500", Vtep(loopback, 1).ToString())).ExitCode);

        var valid = ControlCodec.EncodeRegister(new RegisterMessage("vtep-x", 90, false, WireResponseWanted.None, [new VniAddresses(501, [Vtep(loopback, 7)])]))[0];
        var random = new Random(7);
        var garbage = new List<byte[]> { Array.Empty<byte>(), new byte[] { 0x56 }, new byte[1500], valid[..^1], valid.Append((byte)0xC0).ToArray() };
        while (garbage.Count < 100)
        {
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(0, mutated.Length)] ^= (byte)random.Next(1, 256);
            // Only datagrams the codec rejects: a mutation can happen to stay a valid registration.
            if (!ControlCodec.TryDecode(mutated, out _, out _)) garbage.Add(mutated);
            var noise = new byte[random.Next(1, 200)];
            random.NextBytes(noise);
            if (!ControlCodec.TryDecode(noise, out _, out _)) garbage.Add(noise);
        }
        garbage.Add(ControlCodec.Encode(new PeerListMessage(90, [new VniAddresses(502, [Vtep(loopback, 8)])])));
        var before = await node.FdbAsync();
        foreach (var datagram in garbage) await vtep.SendRawAsync(datagram);

        var status = await Eventually(async () => await node.StatusAsync() is { ControlDropped: var d } s && d >= garbage.Count ? s : null);
        Assert.Equal(garbage.Count, status.ControlDropped);
        var after = await node.FdbAsync();
        Assert.Equal(before.Select(e => (e.Vni, e.Address, e.NodeId, e.Source)), after.Select(e => (e.Vni, e.Address, e.NodeId, e.Source)));
        Assert.Equal(0, status.RegistrationsReceived);
    }

    [Fact]
    public async Task Status_WithAnycast_NamesTheAnycastSocketAndCarriesTheClusterPart()
    {
        string anycast = $"127.0.{Random.Shared.Next(2, 250)}.200";
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Loopback, null, $"--ServiceNode:Cluster:AnycastAddress={anycast}");

        var status = await node.StatusAsync();
        var (code, table, _) = await node.CliAsync("status");

        Assert.Equal(anycast, status.ControlAnycastAddress);
        Assert.Equal(anycast, status.Cluster?.AnycastAddress);
        Assert.Equal(0, code);
        Assert.Contains($"VTEPs answered from {anycast}", table, StringComparison.Ordinal);
        Assert.Contains("CLUSTER", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_SingleNode_NoAnycastSocketAndAnEmptyCluster()
    {
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Loopback);

        var status = await node.StatusAsync();

        Assert.Null(status.ControlAnycastAddress);
        Assert.NotNull(status.Cluster);
        Assert.Empty(status.Cluster.Peers);
        Assert.Null(status.Cluster.AnycastAddress);
    }

    [Fact]
    public async Task Cli_DaemonNotRunning_OneStderrLineExitOne()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string socket = Path.Combine(Path.GetTempPath(), $"vxsnd-missing-{Guid.NewGuid():N}.sock");
        int code = await Hosting.Management.Cli.CliCommandLine.InvokeAsync(
            ServiceNodeCommandLine.Create((_, _, _) => Task.FromResult(99)), ["fdb", "--socket", socket], "vxsnd", stdout, stderr);
        Assert.Equal(1, code);
        Assert.Equal($"vxsnd: vxsnd is not running (no management socket at {socket})\n", stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task FdbLoad_BadFile_NothingChanges()
    {
        await using var node = await ServiceNodeProcess.StartAsync(IPAddress.Loopback);
        Assert.Equal(0, (await node.CliAsync("fdb", "add", "1", "192.0.2.1")).ExitCode);
        string file = Path.Combine(node.Directory, "load.txt");
        await File.WriteAllTextAsync(file, "2 198.51.100.2\n3 not-an-address\n");
        var (code, _, stderr) = await node.CliAsync("fdb", "load", file);
        Assert.Equal(1, code);
        Assert.Contains(":2:", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("192.0.2.1", Assert.Single(await node.FdbAsync()).Address);

        await File.WriteAllTextAsync(file, "# new set\n2 198.51.100.2\n3 2001:db8::3\n");
        Assert.Equal(0, (await node.CliAsync("fdb", "load", file)).ExitCode);
        Assert.Equal([2u, 3u], (await node.FdbAsync()).Select(e => e.Vni));
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(25);
        }
    }
}
