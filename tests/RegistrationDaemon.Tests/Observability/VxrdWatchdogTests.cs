using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.RegistrationDaemon.Tests.Observability;

/// <summary>
/// The real vxrd run as systemd runs a Type=notify unit with WatchdogSec=: READY=1 once its links
/// are loaded, then WATCHDOG=1 at a third of the timeout, vouched for by the daemon loop.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class VxrdWatchdogTests(ITestOutputHelper output)
{
    [KernelFact]
    public async Task Start_UnderSystemdWithWatchdog_ReadyThenWatchdogFromTheDaemonLoop()
    {
        using var ns = NetworkNamespace.Create("vxrdwd");
        var dir = Directory.CreateTempSubdirectory("vxrd-wd-");
        try
        {
            // A path socket: vxrd runs in another network namespace, where an abstract name would not reach.
            using var notify = NotifySocket.BindPath();
            using var daemon = new ObservedDaemon(ns, "RegistrationDaemon", "vxrd.dll", "127.0.0.1:9502",
                new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Name, ["WATCHDOG_USEC"] = "900000" },
                "--RegistrationDaemon:ServiceNode=192.0.2.1", $"--RegistrationDaemon:ManagementSocket={dir.FullName}/vxrd.sock",
                "--RegistrationDaemon:Authentication:AllowUnauthenticated=true");

            var untilReady = await notify.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(30));
            var after = await notify.ReceiveForAsync(TimeSpan.FromSeconds(2));
            output.WriteLine(string.Join(" | ", untilReady.Concat(after)));

            Assert.DoesNotContain(untilReady, m => m.Contains("WATCHDOG=1"));
            // A tick every 300 ms: about six in two seconds, at least three on a busy machine.
            Assert.True(after.Count(m => m == "WATCHDOG=1") >= 3, string.Join(" | ", after) + "\n" + daemon.Output);
            Assert.Contains("(daemon loop)", daemon.Output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
