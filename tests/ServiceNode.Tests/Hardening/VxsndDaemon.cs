using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.ServiceNode.Management;
using Replicator.ServiceNode.Management.Cli;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// A real vxsnd process (the built <c>vxsnd</c> executable) inside a test's network namespace,
/// on that namespace's loopback: control 127.0.0.1:10001, data 127.0.0.1:4789, metrics
/// 127.0.0.1:9501, management socket and static entries in <see cref="Directory"/>. It can be
/// killed with SIGKILL and started again on the same directory (a crash and restart).
/// </summary>
internal sealed partial class VxsndDaemon : IAsyncDisposable
{
    public const int ControlPort = 10001;
    public const int DataPort = 4789;
    public const int MetricsPort = 9501;

    private readonly NetworkNamespace _ns;
    private readonly string[] _extra;
    private Process? _process;
    private readonly List<string> _stderr = [];
    private readonly List<string> _stdout = [];
    private readonly Dictionary<string, string> _environment = new() { ["DOTNET_gcServer"] = "0" };

    private VxsndDaemon(NetworkNamespace ns, string directory, string[] extra)
    {
        _ns = ns;
        Directory = directory;
        _extra = extra;
    }

    public string Directory { get; }

    public string Socket => Path.Combine(Directory, "vxsnd.sock");

    public static IPEndPoint Control => new(IPAddress.Loopback, ControlPort);

    public static IPEndPoint Data => new(IPAddress.Loopback, DataPort);

    public int Pid => _process?.Id ?? 0;

    public string Stderr { get { lock (_stderr) return string.Join('\n', _stderr.TakeLast(40)); } }

    /// <summary>The log lines (the console logger writes to stdout).</summary>
    public string Stdout { get { lock (_stdout) return string.Join('\n', _stdout); } }

    public static Task<VxsndDaemon> StartAsync(NetworkNamespace ns, params string[] extra) => StartAsync(ns, null, extra);

    /// <summary>Starts with extra environment variables (e.g. <see cref="LeakInjection"/>'s).</summary>
    public static async Task<VxsndDaemon> StartAsync(NetworkNamespace ns, IDictionary<string, string>? environment, params string[] extra)
    {
        var daemon = new VxsndDaemon(ns, System.IO.Directory.CreateTempSubdirectory("vxsnd-hardening").FullName, extra);
        if (environment is not null) foreach (var (k, v) in environment) daemon._environment[k] = v;
        await daemon.StartAgainAsync();
        return daemon;
    }

    /// <summary>Starts the process (again) on the same directory and waits until it answers on its management socket.</summary>
    public async Task StartAgainAsync()
    {
        // A startup hook (LeakInjection) needs the JIT build: Native AOT runs no managed startup hooks.
        string exe = _environment.ContainsKey("DOTNET_STARTUP_HOOKS")
            ? Path.Combine(AppContext.BaseDirectory, "vxsnd")
            : DaemonExecutable.ForName("vxsnd");
        string[] args =
        [
            "--ServiceNode:ControlAddress=127.0.0.1",
            "--ServiceNode:Registry:AllowLoopbackVteps=true", // the hostile and churning VTEPs are 127.x addresses
            $"--ServiceNode:ControlPort={ControlPort}",
            $"--ServiceNode:DataPlane:Port={DataPort}",
            $"--ServiceNode:Metrics:Endpoint=127.0.0.1:{MetricsPort}",
            $"--ServiceNode:ManagementSocket={Socket}",
            $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(Directory, "static-entries")}",
            "--ServiceNode:DataPlane:Workers=1",
            "--ServiceNode:Cluster:SyncPort=0",
            "--Logging:LogLevel:Default=Warning",
            // These tests probe with hand-made (unsigned) datagrams: without a key file of their
            // own they opt out of authentication, which is mandatory by default.
            .. (TestKeyFile.Decides(_extra) ? Array.Empty<string>() : ["--ServiceNode:Authentication:AllowUnauthenticated=true"]),
            .. _extra,
        ];
        _process = _ns.Start(exe, args, _environment);
        var process = _process;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.Add(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.Add(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"vxsnd exited with {process.ExitCode}: {Stderr}");
            if (File.Exists(Socket) && UnixSocketFile.IsListening(Socket))
            {
                try
                {
                    await ScrapeAsync();
                    return;
                }
                catch (HttpRequestException)
                {
                }
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"vxsnd did not start: {Stderr}");
            await Task.Delay(50);
        }
    }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: false);
        _process?.WaitForExit(10_000);
    }

    /// <summary>Resident set size from /proc/PID/status (VmRSS).</summary>
    public long RssBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>Managed memory vxsnd retains after a full compacting collection (<c>GET /diagnostics/heap</c>).</summary>
    public async Task<HeapResponse> HeapAsync()
    {
        using var client = new ManagementClient(Socket, "vxsnd", TimeSpan.FromSeconds(30));
        return await client.GetAsync<HeapResponse>("/diagnostics/heap");
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(
            ServiceNodeCommandLine.Create((_, _, _) => Task.FromResult(99)), [.. args, "--socket", Socket], "vxsnd", stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary><c>vxsnd fdb --json</c>.</summary>
    public async Task<List<FdbEntryResponse>> FdbAsync()
    {
        var (code, stdout, stderr) = await CliAsync("fdb", "--json");
        Assert.True(code == 0, stderr);
        return JsonSerializer.Deserialize<List<FdbEntryResponse>>(stdout, ManagementJson.Options)!;
    }

    /// <summary>GET /metrics inside the namespace: every sample, keyed "name{labels}" as exposed.</summary>
    public async Task<Dictionary<string, double>> ScrapeAsync()
    {
        using var http = NamespaceHttpClient.Create(_ns.Name, TimeSpan.FromSeconds(10));
        string text = await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
        var samples = new Dictionary<string, double>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = Sample().Match(line);
            if (!m.Success) continue;
            string labels = m.Groups["labels"].Value;
            // Keep only the labels tests select on; target/instance labels would make keys unwieldy.
            var kept = LabelPair().Matches(labels).Where(l => l.Groups[1].Value is "reason" or "source" or "direction" or "socket" or "kind")
                .Select(l => $"{l.Groups[1].Value}=\"{l.Groups[2].Value}\"");
            string key = m.Groups["name"].Value + (kept.Any() ? "{" + string.Join(',', kept) + "}" : "");
            samples[key] = samples.GetValueOrDefault(key) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    /// <summary>Sum of every sample of <paramref name="name"/>.</summary>
    public static double Sum(Dictionary<string, double> samples, string name) =>
        samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(s => s.Value);

    /// <summary>Samples of <paramref name="name"/> by their <c>reason</c> label.</summary>
    public static Dictionary<string, double> ByReason(Dictionary<string, double> samples, string name) =>
        samples.Where(s => s.Key.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(s => (Reason: ReasonLabel().Match(s.Key) is { Success: true } r ? r.Groups[1].Value : "", s.Value))
            .Where(p => p.Reason.Length > 0)
            .GroupBy(p => p.Reason).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            _process!.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"reason=""([^""]*)""")]
    private static partial Regex ReasonLabel();
}
