using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Management;
using Replicator.ServiceNode.Management;
using Replicator.TestSupport;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// The real vxsnd process under load, in the service node's namespace, with a key file of its own
/// (authentication stays on, as in production; the simulator signs with the same key). Reports its
/// CPU seconds (utime + stime from /proc/PID/stat) and peak RSS (VmHWM), reads its registry over the
/// management socket and its counters from /metrics. Killed with SIGKILL and started again on the same
/// directory for the restart phase; killed at dispose.
/// </summary>
internal sealed class FleetServiceNode : IDisposable
{
    private const int MetricsPort = 9501;

    // Linux's USER_HZ on x86-64 and arm64: /proc/PID/stat counts CPU time in these ticks.
    private const double TicksPerSecond = 100;

    private readonly string _ns;
    private readonly string _executable;
    private readonly IReadOnlyList<string> _extra;
    private readonly int _cpu;
    private readonly string _directory;
    private readonly List<string> _output = [];
    private Process? _process;

    /// <param name="cpu">The CPU vxsnd runs on (taskset), or -1: wherever the scheduler puts it.</param>
    public FleetServiceNode(string ns, string? executable, IReadOnlyList<string> extra, int cpu)
    {
        _cpu = cpu;
        _ns = ns;
        _executable = executable ?? DefaultExecutable();
        _extra = extra;
        _directory = Directory.CreateTempSubdirectory("rpl-fleet-vxsnd").FullName;
        KeyFile = Path.Combine(_directory, "keys");
        File.WriteAllText(KeyFile, $"1 hex:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))} primary\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Keys = AuthKeyFileFormat.Parse(File.ReadAllText(KeyFile));
        ManagementJson.AddTypes(ServiceNodeJsonContext.Default);
    }

    public string KeyFile { get; }

    /// <summary>The key ring the simulated VTEPs sign with and verify by.</summary>
    public AuthKeyRing Keys { get; }

    public string Executable => _executable;

    public int Pid => _process?.Id ?? 0;

    private string Socket => Path.Combine(_directory, "vxsnd.sock");

    /// <summary>The vxsnd next to this benchmark (the ServiceNode project reference copies its apphost), or the shipped binary the tests use.</summary>
    private static string DefaultExecutable()
    {
        if (Environment.GetEnvironmentVariable("REPLICATOR_DAEMON_BINARIES") is { Length: > 0 } dir) return Path.Combine(dir, "vxsnd");
        return Path.Combine(AppContext.BaseDirectory, "vxsnd");
    }

    /// <summary>Starts vxsnd (again, on the same directory) and waits until its management API answers; the time that took.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string[] args =
        [
            $"--ServiceNode:ControlAddress={FleetSettings.ServiceNodeAddress}",
            $"--ServiceNode:ControlPort={FleetSettings.ControlPort}",
            $"--ServiceNode:ManagementSocket={Socket}",
            $"--ServiceNode:Metrics:Endpoint=127.0.0.1:{MetricsPort}",
            $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(_directory, "static-entries")}",
            $"--ServiceNode:Authentication:KeyFile={KeyFile}",
            // Only the control plane is measured; the data plane would only add idle threads.
            "--ServiceNode:DataPlane:Enabled=false",
            "--ServiceNode:Cluster:SyncPort=0",
            "--Logging:LogLevel:Default=Warning",
            .. _extra,
        ];
        // No tiering: the shipped vxsnd is Native AOT, optimised from its first datagram, while a JIT build with
        // tiering runs much of a join wave in tier-0 code (2 to 2.5x the CPU per datagram, measured with perf).
        // An AOT binary (--vxsnd, REPLICATOR_DAEMON_BINARIES) ignores the variable.
        var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_gcServer"] = "0", ["DOTNET_TieredCompilation"] = "0" };
        // taskset execs vxsnd, as ip netns exec does: the pid is still vxsnd's.
        string[] command = _cpu < 0 ? [_executable, .. args] : ["taskset", "-c", _cpu.ToString(CultureInfo.InvariantCulture), _executable, .. args];
        _process = FleetNetwork.Start(_ns, command[0], command[1..], env, line => { lock (_output) { if (_output.Count < 200) _output.Add(line); } });
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"vxsnd exited with {_process.ExitCode}:\n{Output}");
            if (File.Exists(Socket))
            {
                try
                {
                    await RegistryAsync();
                    return clock.Elapsed;
                }
                catch (Exception e) when (e is HttpRequestException or ManagementClientException or IOException or TaskCanceledException or SocketException)
                {
                }
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"vxsnd did not answer within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(50);
        }
    }

    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>CPU seconds (user + system) the running vxsnd has used since it started.</summary>
    public double CpuSeconds()
    {
        string stat = File.ReadAllText($"/proc/{Pid}/stat");
        // Fields after the command name (which may hold spaces) start at field 3: utime is 14, stime 15.
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Peak resident set size (VmHWM) of the running vxsnd, bytes.</summary>
    public long PeakRssBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("no VmHWM");
    }

    /// <summary>The registered entries (<c>GET /fdb</c>): the registry's truth.</summary>
    public async Task<List<(uint Vni, IPAddress Address)>> RegistryAsync()
    {
        using var client = new ManagementClient(Socket, "vxsnd", TimeSpan.FromSeconds(120));
        var entries = await client.GetAsync<List<FdbEntryResponse>>("/fdb");
        return [.. entries.Where(e => e.Source == "registered").Select(e => (e.Vni, IPAddress.Parse(e.Address)))];
    }

    /// <summary>Sum of every sample of each metric whose name starts with <paramref name="prefix"/> (GET /metrics inside the namespace).</summary>
    public async Task<Dictionary<string, double>> MetricsAsync(string prefix)
    {
        using var http = NamespaceHttpClient.Create(_ns, TimeSpan.FromSeconds(60));
        string text = await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
        var sums = new Dictionary<string, double>();
        foreach (string line in text.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            int space = line.LastIndexOf(' ');
            int brace = line.IndexOf('{', StringComparison.Ordinal);
            string name = line[..(brace > 0 ? brace : line.IndexOf(' ', StringComparison.Ordinal))];
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) sums[name] = sums.GetValueOrDefault(name) + v;
        }
        return sums;
    }

    /// <summary>The samples (name, labels and value) of the metrics whose names start with <paramref name="prefix"/>; empty when vxsnd does not answer in time.</summary>
    public async Task<IReadOnlyList<string>> SamplesAsync(string prefix)
    {
        try
        {
            using var http = NamespaceHttpClient.Create(_ns, TimeSpan.FromSeconds(60));
            string text = await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
            return [.. text.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal))];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return [];
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
