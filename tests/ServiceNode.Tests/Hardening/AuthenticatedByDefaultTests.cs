using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Replicator.Hosting.Management;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Management;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// The real vxsnd process: without a key file it refuses to start unless the operator opted out
/// (<c>AllowUnauthenticated</c>); an opt-out is warned about, shown in status and by the gauge; a
/// key file together with the opt-out is the roll-out transition.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AuthenticatedByDefaultTests(ITestOutputHelper output)
{
    private static readonly IPAddress Vtep = IPAddress.Parse("127.0.6.1");

    [KernelFact]
    public void Start_NoKeyFileNoOptOut_ExitsOneWithOneLineNamingBothKeys()
    {
        using var ns = NetworkNamespace.Create("authdef");
        var dir = Directory.CreateTempSubdirectory("vxsnd-authdef-");
        try
        {
            using var vxsnd = DaemonProcess.StartBuilt(ns, "vxsnd", "--ServiceNode:ControlAddress=127.0.0.1",
                $"--ServiceNode:ManagementSocket={dir.FullName}/vxsnd.sock", $"--ServiceNode:Registry:StaticEntriesFile={dir.FullName}/static",
                "--ServiceNode:Metrics:Endpoint=", "--ServiceNode:Cluster:SyncPort=0");

            Assert.True(vxsnd.WaitForExit(TimeSpan.FromSeconds(60)), "vxsnd started without a key file:\n" + vxsnd.Output);
            output.WriteLine($"exit {vxsnd.ExitCode}: {vxsnd.Output}");

            Assert.Equal(1, vxsnd.ExitCode);
            string line = Assert.Single(vxsnd.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("vxsnd: configuration: ServiceNode:Authentication:KeyFile is not set", line);
            Assert.Contains("ServiceNode:Authentication:AllowUnauthenticated", line);
            Assert.Contains("vxsnd keygen", line);
            Assert.DoesNotContain("   at ", vxsnd.Output);
            Assert.False(File.Exists($"{dir.FullName}/vxsnd.sock"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelFact]
    public async Task Start_AllowUnauthenticated_WarnsStatusOffGaugeZero()
    {
        using var ns = NetworkNamespace.Create("authoff");
        await using var daemon = await VxsndDaemon.StartAsync(ns, "--ServiceNode:Authentication:AllowUnauthenticated=true");

        var (json, table) = await StatusAsync(daemon);
        double gauge = VxsndDaemon.Sum(await daemon.ScrapeAsync(), "vxsnd_authentication_enabled");
        output.WriteLine($"status authentication: {json.Authentication}; vxsnd_authentication_enabled {gauge}\n{daemon.Stdout}");

        Assert.Equal("off", json.Authentication);
        Assert.Matches(@"(?m)^authentication +OFF: AllowUnauthenticated", table);
        Assert.Equal(0, gauge);
        Assert.Contains("ControlAuthentication[1204] Control authentication OFF (ServiceNode:Authentication:AllowUnauthenticated is true", daemon.Stdout);
    }

    [KernelFact]
    public async Task Start_KeyFile_StatusOnGaugeOneUnsignedDropped()
    {
        using var ns = NetworkNamespace.Create("authon");
        var (keys, _) = HardeningFixture.WriteKeyFile(Directory.CreateTempSubdirectory("vxsnd-keys").FullName);
        await using var daemon = await VxsndDaemon.StartAsync(ns, $"--ServiceNode:Authentication:KeyFile={keys}");

        var (json, table) = await StatusAsync(daemon);
        var samples = await daemon.ScrapeAsync();

        Assert.Equal("on", json.Authentication);
        Assert.Matches(@"(?m)^authentication +on \(signed and verified\)", table);
        Assert.Equal(1, VxsndDaemon.Sum(samples, "vxsnd_authentication_enabled"));
        Assert.DoesNotContain("[1204]", daemon.Stdout);
        Assert.DoesNotContain("[1205]", daemon.Stdout);
    }

    [KernelFact]
    public async Task Start_KeyFileAndAllowUnauthenticated_TransitionalAcceptsSignedAndUnsigned()
    {
        using var ns = NetworkNamespace.Create("authtr");
        var (keys, ring) = HardeningFixture.WriteKeyFile(Directory.CreateTempSubdirectory("vxsnd-keys").FullName);
        await using var daemon = await VxsndDaemon.StartAsync(ns, $"--ServiceNode:Authentication:KeyFile={keys}", "--ServiceNode:Authentication:AllowUnauthenticated=true");
        using var socket = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(Vtep, 0));

        // One node, one node id (a new id for the address would stand for a restarted node and replace its entries).
        byte[] signed = ControlCodec.Encode(new RegisterMessage("transit", 600, false, WireResponseWanted.None, [new VniAddresses(100, [Vtep])]), true);
        ring.Sign(signed, TimeProvider.System);
        socket.SendTo(signed, VxsndDaemon.Control);
        socket.SendTo(ControlCodec.Encode(new RegisterMessage("transit", 600, false, WireResponseWanted.None, [new VniAddresses(200, [Vtep])])), VxsndDaemon.Control);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        List<FdbEntryResponse> fdb;
        while ((fdb = await daemon.FdbAsync()).Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var (json, table) = await StatusAsync(daemon);

        Assert.Equal([100u, 200u], fdb.Select(e => e.Vni).Order());
        Assert.Equal("transitional", json.Authentication);
        Assert.Matches(@"(?m)^authentication +transitional", table);
        Assert.Equal(1, VxsndDaemon.Sum(await daemon.ScrapeAsync(), "vxsnd_authentication_enabled"));
        Assert.Contains("[1205] ServiceNode:Authentication:AllowUnauthenticated is true with a key file: transitional", daemon.Stdout);
    }

    private static async Task<(StatusResponse Json, string Table)> StatusAsync(VxsndDaemon daemon)
    {
        var (code, stdout, stderr) = await daemon.CliAsync("status", "--json");
        Assert.True(code == 0, stderr);
        var json = JsonSerializer.Deserialize<StatusResponse>(stdout, ManagementJson.Options)!;
        (code, stdout, stderr) = await daemon.CliAsync("status");
        Assert.True(code == 0, stderr);
        return (json, stdout);
    }
}
