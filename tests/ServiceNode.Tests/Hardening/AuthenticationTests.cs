using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>A real vxsnd with a key file: what it accepts, what it drops (by reason), what it signs, and key rotation.</summary>
[Collection(KernelCollection.Name)]
public class AuthenticationTests
{
    private static readonly IPAddress Vtep = IPAddress.Parse("127.0.5.1");

    private static byte[] Register(uint vni, WireResponseWanted response = WireResponseWanted.None, bool reserve = true) =>
        ControlCodec.Encode(new RegisterMessage("auth-vtep", 600, false, response, [new VniAddresses(vni, [Vtep])]), reserve);

    private static async Task<Dictionary<string, double>> DropsAsync(VxsndDaemon daemon, double expectedTotal)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var drops = VxsndDaemon.ByReason(await daemon.ScrapeAsync(), "vxsnd_control_dropped_total");
            if (drops.Values.Sum() >= expectedTotal || DateTime.UtcNow > deadline) return drops;
            await Task.Delay(100);
        }
    }

    [KernelFact]
    public async Task Receive_EachKindOfBadSignature_DroppedAndCountedByReasonOnlyGoodOneRegistered()
    {
        using var ns = NetworkNamespace.Create("hauth");
        var (keyFile, ring) = HardeningFixture.WriteKeyFile(Directory.CreateTempSubdirectory("vxsnd-keys").FullName);
        await using var daemon = await VxsndDaemon.StartAsync(ns, $"--ServiceNode:Authentication:KeyFile={keyFile}");
        using var socket = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(Vtep, 0));

        byte[] good = Register(100, WireResponseWanted.RegisteredVnis);
        ring.Sign(good, TimeProvider.System);
        socket.SendTo(good, VxsndDaemon.Control);
        socket.SendTo(good, VxsndDaemon.Control); // replayed
        socket.SendTo(Register(101, reserve: false), VxsndDaemon.Control); // unsigned
        byte[] unknownKey = Register(102);
        new AuthKeyRing([new(9, AuthKeyRing.GenerateKey())], 9).Sign(unknownKey, TimeProvider.System);
        socket.SendTo(unknownKey, VxsndDaemon.Control);
        byte[] wrongKey = Register(103);
        new AuthKeyRing([new(1, AuthKeyRing.GenerateKey())], 1).Sign(wrongKey, TimeProvider.System); // same id, other key
        socket.SendTo(wrongKey, VxsndDaemon.Control);
        byte[] altered = Register(104);
        ring.Sign(altered, TimeProvider.System);
        altered[12] ^= 0x40;
        socket.SendTo(altered, VxsndDaemon.Control);
        byte[] stale = Register(105);
        ring.Sign(stale, new AuthenticationTrailer(1, DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds(), 12345));
        socket.SendTo(stale, VxsndDaemon.Control);

        var drops = await DropsAsync(daemon, 6);
        Assert.Equal(1, drops["replayed"]);
        Assert.Equal(1, drops["unsigned"]);
        Assert.Equal(1, drops["unknown_key"]);
        Assert.Equal(2, drops["bad_signature"]);
        Assert.Equal(1, drops["stale"]);
        var registered = (await daemon.FdbAsync()).Where(e => e.Source == "registered").Select(e => e.Vni).ToList();
        Assert.Equal([100u], registered);

        // The answer to the good registration is a peer list signed with the daemon's primary key.
        var buffer = new byte[2048];
        socket.ReceiveTimeout = 5000;
        int n = socket.Receive(buffer);
        Assert.Equal(ControlVerification.Ok, new ControlMessageVerifier(ring, new ReplayGuard(TimeProvider.System)).Verify(buffer.AsSpan(0, n)));
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out _));
        Assert.Equal(Vtep, Assert.IsType<PeerListMessage>(message).Vnis.Single(v => v.Vni == 100).Addresses.Single());
    }

    [KernelFact]
    public async Task KeyFile_RotatedWhileRunning_NewKeyAcceptedOldStillVerifiesWithoutRestart()
    {
        using var ns = NetworkNamespace.Create("hrotate");
        string directory = Directory.CreateTempSubdirectory("vxsnd-keys").FullName;
        var (keyFile, oldRing) = HardeningFixture.WriteKeyFile(directory, keyId: 1);
        await using var daemon = await VxsndDaemon.StartAsync(ns, $"--ServiceNode:Authentication:KeyFile={keyFile}", "--ServiceNode:Authentication:KeyFileCheckInterval=00:00:01");
        using var socket = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(Vtep, 0));

        // Step 1 of a rotation: add key 2 next to key 1 (1 stays primary).
        byte[] newKey = AuthKeyRing.GenerateKey();
        string oldLine = File.ReadAllLines(keyFile).Single(l => l.StartsWith("1 ", StringComparison.Ordinal));
        File.WriteAllText(keyFile, oldLine + "\n" + AuthKeyFileFormat.FormatLine(2, newKey, primary: false) + "\n");
        File.SetLastWriteTimeUtc(keyFile, DateTime.UtcNow.AddSeconds(5)); // a distinct mtime even within the same clock tick
        var newRing = new AuthKeyRing([new(2, newKey)], 2);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        uint vni = 200;
        while ((await daemon.FdbAsync()).All(e => e.Vni < 200))
        {
            Assert.True(DateTime.UtcNow < deadline, "the new key was never accepted");
            byte[] datagram = Register(vni++);
            newRing.Sign(datagram, TimeProvider.System);
            socket.SendTo(datagram, VxsndDaemon.Control);
            await Task.Delay(250);
        }
        byte[] withOld = Register(300);
        oldRing.Sign(withOld, TimeProvider.System);
        socket.SendTo(withOld, VxsndDaemon.Control);
        await Task.Delay(500);
        Assert.Contains(await daemon.FdbAsync(), e => e.Vni == 300);
        Assert.True(daemon.IsRunning);
    }

    [KernelFact]
    public async Task Start_BadKeyFile_RefusedNamingLineNeverTheKey()
    {
        using var ns = NetworkNamespace.Create("hbadkey");
        string directory = Directory.CreateTempSubdirectory("vxsnd-keys").FullName;
        string keyFile = Path.Combine(directory, "keys");
        File.WriteAllText(keyFile, "# keys\n1 hex:0badc0ffee0badc0ffee0badc0ff primary\n"); // 14 bytes: too short
        var process = ns.Start(DaemonExecutable.ForName("vxsnd"),
            [$"--ServiceNode:Authentication:KeyFile={keyFile}", $"--ServiceNode:ManagementSocket={Path.Combine(directory, "s.sock")}",
             $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(directory, "static")}", "--ServiceNode:ControlAddress=127.0.0.1"]);
        string stderr = await process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(20_000));
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("ServiceNode:Authentication:KeyFile", stderr);
        Assert.Contains("line 2", stderr);
        Assert.DoesNotContain("0badc0ffee", stderr, StringComparison.OrdinalIgnoreCase);
    }
}
