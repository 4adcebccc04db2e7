using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests.Observability;

/// <summary>
/// A real Prometheus server (Debian's /usr/bin/prometheus) started inside an existing network
/// namespace with <c>ip netns exec</c>: a generated config scraping loopback targets every second,
/// its own temporary data directory, its API on 127.0.0.1 inside that namespace (queried with curl
/// from inside it). Killed and cleaned up on dispose.
/// </summary>
internal sealed class NamespacedPrometheus : IDisposable
{
    public const string Path = "/usr/bin/prometheus";

    /// <summary>The namespace is the test's own, so a fixed port cannot meet another listener.</summary>
    private const int Port = 9090;

    private readonly string _namespace;
    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private NamespacedPrometheus(string ns, Process process, DirectoryInfo directory)
    {
        _namespace = ns;
        _process = process;
        _directory = directory;
    }

    /// <param name="ns">Name of the network namespace to run in.</param>
    /// <param name="job">Job name of the one scrape target.</param>
    /// <param name="target">"127.0.0.1:port" inside that namespace.</param>
    public static NamespacedPrometheus Start(string ns, string job, string target)
    {
        Assert.True(File.Exists(Path), $"{Path} not found: install Debian's 'prometheus' package (tests/prerequisites.sh)");
        var dir = Directory.CreateTempSubdirectory("rpl-e2e-prom-");
        string config = System.IO.Path.Combine(dir.FullName, "prometheus.yml");
        File.WriteAllText(config,
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n" +
            $"scrape_configs:\n  - job_name: {job}\n    static_configs:\n      - targets: [\"{target}\"]\n");
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[]
        {
            "netns", "exec", ns, Path,
            $"--config.file={config}",
            $"--storage.tsdb.path={System.IO.Path.Combine(dir.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{Port}",
            "--storage.tsdb.retention.time=1h",
        })
        {
            psi.ArgumentList.Add(a);
        }

        // ip netns exec execs prometheus itself, so this process is the server (killed on dispose).
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start prometheus");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new NamespacedPrometheus(ns, process, dir);
        try
        {
            server.WaitUntilReady(TimeSpan.FromSeconds(30));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Runs an instant query; returns the first sample's value, or null when the result is empty.</summary>
    public double? Query(string promql)
    {
        var r = Shell.Run("ip", ["netns", "exec", _namespace, "curl", "-sf", "--max-time", "5",
            $"http://127.0.0.1:{Port}/api/v1/query", "--data-urlencode", $"query={promql}"], TimeSpan.FromSeconds(10));
        if (r.ExitCode != 0) return null;
        using var doc = JsonDocument.Parse(r.Stdout);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0) return null;
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="promql"/> until its value satisfies <paramref name="condition"/>; returns it.</summary>
    public double WaitFor(string promql, Func<double, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = Query(promql);
            if (last is { } v && condition(v)) return v;
            Thread.Sleep(500);
        }
        throw new TimeoutException($"'{promql}' in {_namespace} did not meet the condition within {timeout}; last value: {last?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
        try { _directory.Delete(recursive: true); } catch (IOException) { }
    }

    private void WaitUntilReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus in {_namespace} exited with code {_process.ExitCode}");
            if (Shell.Run("ip", ["netns", "exec", _namespace, "curl", "-sf", "--max-time", "2", $"http://127.0.0.1:{Port}/-/ready"], TimeSpan.FromSeconds(5)).ExitCode == 0) return;
            Thread.Sleep(200);
        }
        throw new TimeoutException($"prometheus in {_namespace} not ready within {timeout}");
    }
}
