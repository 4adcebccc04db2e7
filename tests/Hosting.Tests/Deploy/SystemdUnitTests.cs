using Replicator.TestSupport;

namespace Replicator.Hosting.Deploy.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SystemdUnitTests
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    [Theory]
    [InlineData("vxsnd")]
    [InlineData("vxrd")]
    public void Unit_SystemdAnalyzeVerify_NoFindings(string daemon)
    {
        if (!File.Exists(SystemdAnalyze))
        {
            // Runtime check, not a Skip attribute: the other unit checks still run everywhere.
            Console.WriteLine($"{SystemdAnalyze} is absent: systemd-analyze verify of {daemon}.service not run");
            return;
        }

        // verify also checks that ExecStart's binary exists; it is not installed on a build
        // machine, so the copy under test points at an executable stub in a temp directory.
        var dir = Directory.CreateTempSubdirectory("rpl-obs-unit-");
        try
        {
            string stub = Path.Combine(dir.FullName, daemon);
            File.WriteAllText(stub, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string unit = File.ReadAllText(RepositoryPaths.Deploy("systemd", $"{daemon}.service"));
            Assert.Contains($"ExecStart=/usr/sbin/{daemon} ", unit);
            string unitPath = Path.Combine(dir.FullName, $"{daemon}.service");
            // Likewise verify looks up Documentation=man:{daemon}(8), which only the package installs
            // (deploy/package/install-test.sh verifies the installed unit with it).
            File.WriteAllText(unitPath, unit.Replace($"/usr/sbin/{daemon}", stub).Replace($"Documentation=man:{daemon}(8)", string.Empty));

            var r = Shell.Run(SystemdAnalyze, ["verify", unitPath], TimeSpan.FromSeconds(60));

            Assert.True(r.ExitCode == 0 && (r.Stdout + r.Stderr).Trim().Length == 0, $"systemd-analyze verify {daemon}.service: exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("vxsnd")]
    [InlineData("vxrd")]
    public void Unit_Hardening_OnlyTwoCapabilitiesReadOnlySystemPrivateTmp(string daemon)
    {
        var settings = ParseService(File.ReadAllText(RepositoryPaths.Deploy("systemd", $"{daemon}.service")));

        Assert.Equal("notify", settings["Type"]);
        Assert.Equal("always", settings["Restart"]);
        Assert.Equal("CAP_NET_ADMIN CAP_NET_RAW", settings["CapabilityBoundingSet"]);
        Assert.Equal("CAP_NET_ADMIN CAP_NET_RAW", settings["AmbientCapabilities"]);
        Assert.Equal("strict", settings["ProtectSystem"]);
        Assert.Equal("yes", settings["PrivateTmp"]);
        Assert.Equal("yes", settings["NoNewPrivileges"]);
        Assert.Equal($"/var/lib/{daemon} /run", settings["ReadWritePaths"]);
        Assert.Equal($"/usr/sbin/{daemon} --config /etc/replicator/{daemon}.json", settings["ExecStart"]);
    }

    [Theory]
    [InlineData("vxsnd")]
    [InlineData("vxrd")]
    public void Unit_Watchdog_ThirtySecondsFromTheMainProcess(string daemon)
    {
        var settings = ParseService(File.ReadAllText(RepositoryPaths.Deploy("systemd", $"{daemon}.service")));

        // The daemons send WATCHDOG=1 every third of it while their loops go round; the main
        // process sends it, and a watchdog kill is restarted like any other failure.
        Assert.Equal("30s", settings["WatchdogSec"]);
        Assert.Equal("main", settings["NotifyAccess"]);
        Assert.Equal("always", settings["Restart"]);
    }

    private static Dictionary<string, string> ParseService(string unit)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inService = false;
        foreach (string raw in unit.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                inService = line == "[Service]";
                continue;
            }

            if (inService && line.Length > 0 && !line.StartsWith('#') && line.IndexOf('=') is > 0 and var eq)
            {
                result[line[..eq]] = line[(eq + 1)..];
            }
        }

        return result;
    }
}
