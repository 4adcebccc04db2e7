using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>
/// A real Prometheus server (Debian's /usr/bin/prometheus) on 127.0.0.1 with a generated
/// config scraping the given targets every second and its own temporary data directory;
/// killed and cleaned up on dispose. Reusable by end-to-end tests.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Path = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <param name="targets">Job name to "host:port" targets, loopback only.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, IPEndPoint> targets)
    {
        Assert.True(File.Exists(Path), $"{Path} not found: install Debian's 'prometheus' package");
        var dir = Directory.CreateTempSubdirectory("rpl-obs-prom-");
        var config = new System.Text.StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        foreach (var (job, endpoint) in targets)
        {
            config.Append($"  - job_name: {job}\n    static_configs:\n      - targets: [\"{endpoint}\"]\n");
        }

        string configPath = System.IO.Path.Combine(dir.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());
        int port = FreePort();
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            $"--config.file={configPath}",
            $"--storage.tsdb.path={System.IO.Path.Combine(dir.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
        })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start prometheus");
        // Drain its log so the pipe never fills.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, dir, port);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Runs an instant query; returns the first sample's value, or null when the result is empty.</summary>
    public async Task<double?> QueryScalarAsync(string promql)
    {
        string json = await _client.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }

        string value = result[0].GetProperty("value")[1].GetString()!;
        return double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="promql"/> until it yields a value satisfying <paramref name="condition"/>.</summary>
    public async Task<double> WaitForAsync(string promql, Func<double, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await QueryScalarAsync(promql);
            if (last is { } v && condition(v))
            {
                return v;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"'{promql}' did not meet the condition within {timeout}; last value: {last?.ToString() ?? "none"}");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Delete(recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}");
            }

            try
            {
                using var r = await _client.GetAsync("-/ready");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("prometheus did not become ready within 30 s");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
