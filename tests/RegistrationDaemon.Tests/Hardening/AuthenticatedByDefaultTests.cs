using System.Text.Json;
using Replicator.Hosting.Management;
using Replicator.RegistrationDaemon.Management;
using Replicator.RegistrationDaemon.Tests.Management.Cli;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.RegistrationDaemon.Tests.Hardening;

/// <summary>
/// The real vxrd process: without a key file it refuses to start unless the operator opted out
/// (<c>AllowUnauthenticated</c>); an opt-out is warned about, shown in status and by the gauge.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AuthenticatedByDefaultTests(ITestOutputHelper output)
{
    private static string Vxrd => RepositoryRoot.ReleaseDll("RegistrationDaemon", "vxrd.dll");

    [KernelFact]
    public void Start_NoKeyFileNoOptOut_ExitsOneWithOneLineNamingBothKeys()
    {
        using var ns = NetworkNamespace.Create("vxrdadef");
        var dir = Directory.CreateTempSubdirectory("vxrd-authdef-");
        try
        {
            using var vxrd = DaemonProcess.StartDll(ns, Vxrd, "--RegistrationDaemon:ServiceNode=192.0.2.1",
                $"--RegistrationDaemon:ManagementSocket={dir.FullName}/vxrd.sock", "--RegistrationDaemon:Metrics:Endpoint=");

            Assert.True(vxrd.WaitForExit(TimeSpan.FromSeconds(60)), "vxrd started without a key file:\n" + vxrd.Output);
            output.WriteLine($"exit {vxrd.ExitCode}: {vxrd.Output}");

            Assert.Equal(1, vxrd.ExitCode);
            string line = Assert.Single(vxrd.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("vxrd: configuration: RegistrationDaemon:Authentication:KeyFile is not set", line);
            Assert.Contains("RegistrationDaemon:Authentication:AllowUnauthenticated", line);
            Assert.Contains("vxrd keygen", line);
            Assert.DoesNotContain("   at ", vxrd.Output);
            Assert.False(File.Exists($"{dir.FullName}/vxrd.sock"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelFact]
    public async Task Start_AllowUnauthenticated_WarnsStatusOffGaugeZero()
    {
        using var ns = NetworkNamespace.Create("vxrdaoff");
        var dir = Directory.CreateTempSubdirectory("vxrd-authoff-");
        try
        {
            string socket = $"{dir.FullName}/vxrd.sock";
            using var vxrd = new ObservedDaemon(ns, "RegistrationDaemon", "vxrd.dll", "127.0.0.1:9502",
                "--RegistrationDaemon:ServiceNode=192.0.2.1", $"--RegistrationDaemon:ManagementSocket={socket}",
                "--RegistrationDaemon:Metrics:Endpoint=127.0.0.1:9502", "--RegistrationDaemon:Authentication:AllowUnauthenticated=true");
            vxrd.WaitReady(TimeSpan.FromSeconds(30));
            var samples = Sample.Parse(vxrd.ScrapeUntil(s => s.Any(x => x.Name == "vxrd_authentication_enabled"), TimeSpan.FromSeconds(10)));

            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.True(await RegistrationDaemonCommandLineTests.InvokeAsync(["status", "--json", "--socket", socket], stdout, stderr) == 0, stderr.ToString());
            var json = JsonSerializer.Deserialize<StatusView>(stdout.ToString(), ManagementJson.Options)!;
            var table = new StringWriter();
            Assert.Equal(0, await RegistrationDaemonCommandLineTests.InvokeAsync(["status", "--socket", socket], table, stderr));
            output.WriteLine($"{table}\n{vxrd.Output}");

            Assert.Equal("off", json.Authentication);
            Assert.Matches(@"(?m)^authentication +OFF: AllowUnauthenticated", table.ToString());
            Assert.Equal(0, samples.Single(s => s.Name == "vxrd_authentication_enabled").Value);
            Assert.Contains("ControlAuthentication[1204] Control authentication OFF (RegistrationDaemon:Authentication:AllowUnauthenticated is true", vxrd.Output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
