using System.Net;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Observability;

/// <summary>
/// The real vxsnd run as systemd runs a Type=notify unit with WatchdogSec=: READY=1, then
/// WATCHDOG=1 at a third of the timeout, vouched for by the registry loop and every replication worker.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class VxsndWatchdogTests(ITestOutputHelper output)
{
    private static readonly IPAddress Node = IPAddress.Parse("192.0.2.1");

    [KernelFact]
    public async Task Start_UnderSystemdWithWatchdog_ReadyThenWatchdogFromEveryLoop()
    {
        using var ns = NetworkNamespace.Create("vxsndwd");
        ns.Exec("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ns.Exec("ip", "link", "set", "d1", "up");
        ns.Exec("ip", "addr", "add", $"{Node}/24", "dev", "d0");
        ns.Exec("ip", "link", "set", "d0", "up");
        var dir = Directory.CreateTempSubdirectory("vxsnd-wd-");
        try
        {
            // A path socket: vxsnd runs in another network namespace, where an abstract name would not reach.
            using var notify = NotifySocket.BindPath();
            using var daemon = new ObservedDaemon(ns, "ServiceNode", "vxsnd.dll", "127.0.0.1:9501",
                new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Name, ["WATCHDOG_USEC"] = "900000" },
                "--config", Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd", "vxsnd.json"),
                $"--ServiceNode:ControlAddress={Node}", $"--ServiceNode:DataPlane:Address={Node}", "--ServiceNode:DataPlane:Workers=2",
                $"--ServiceNode:ManagementSocket={Path.Combine(dir.FullName, "vxsnd.sock")}",
                $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(dir.FullName, "static-entries")}",
                "--ServiceNode:Authentication:KeyFile=", "--ServiceNode:Authentication:AllowUnauthenticated=true");

            var untilReady = await notify.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(30));
            var after = await notify.ReceiveForAsync(TimeSpan.FromSeconds(2));
            output.WriteLine(string.Join(" | ", untilReady.Concat(after)));

            Assert.DoesNotContain(untilReady, m => m.Contains("WATCHDOG=1"));
            // A tick every 300 ms: about six in two seconds, at least three on a busy machine.
            Assert.True(after.Count(m => m == "WATCHDOG=1") >= 3, string.Join(" | ", after) + "\n" + daemon.Output);
            Assert.Contains("(registry loop, replication worker 0, replication worker 1)", daemon.Output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
