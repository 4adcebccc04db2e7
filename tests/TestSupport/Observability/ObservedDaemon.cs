using System.Globalization;
using Replicator.TestSupport;

namespace Replicator.TestSupport;

/// <summary>
/// A daemon started as a process (<c>dotnet bin/Release/net10.0/X.dll</c>) inside a test namespace,
/// its output kept for diagnostics, and its metrics listener reached with curl from inside the
/// namespace (an HttpClient would connect from a pool thread outside it).
/// </summary>
public sealed class ObservedDaemon : IDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly DaemonProcess _process;
    private readonly string _endpoint;

    public ObservedDaemon(NetworkNamespace ns, string project, string dll, string endpoint, params string[] args)
    {
        _ns = ns;
        _endpoint = endpoint;
        _process = DaemonProcess.StartDll(ns, Dll(project, dll), args);
    }

    /// <param name="environment">Added to the daemon's environment (systemd's NOTIFY_SOCKET, WATCHDOG_USEC).</param>
    public ObservedDaemon(NetworkNamespace ns, string project, string dll, string endpoint, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        _ns = ns;
        _endpoint = endpoint;
        _process = DaemonProcess.StartDll(ns, Dll(project, dll), environment, args);
    }

    public string Output => _process.Output;

    /// <summary>Process id (ip netns exec execs the daemon, so it is the daemon's).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// The sample names of <paramref name="prefix"/> (vxsnd_ or vxrd_) that the shipped alerting rules
    /// and Grafana dashboard reference, so a scrape can prove they exist.
    /// </summary>
    public static IReadOnlySet<string> DeployReferences(string prefix)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { Path.Combine("prometheus", "alerts.yml"), Path.Combine("grafana", "replicator.json") })
        {
            string text = File.ReadAllText(Path.Combine(RepositoryRoot, "deploy", file));
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, $@"\b{prefix}[a-z_]+\b")) names.Add(m.Value);
        }
        return names;
    }

    public static string RepositoryRoot => TestSupport.RepositoryRoot.Path;

    public static string Dll(string project, string name) => TestSupport.RepositoryRoot.ReleaseDll(project, name);

    /// <summary>GET <paramref name="path"/> on the metrics listener; null while it does not answer 200.</summary>
    public string? Get(string path)
    {
        var r = _ns.Try("curl", "-sf", "--max-time", "3", $"http://{_endpoint}{path}");
        return r.ExitCode == 0 ? r.Stdout : null;
    }

    /// <summary>Waits until /readyz answers 200 (or the daemon exits, or the timeout passes).</summary>
    public void WaitReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Get("/readyz") is null)
        {
            if (_process.HasExited) throw new InvalidOperationException($"daemon exited with {_process.ExitCode}:\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"/readyz not 200 within {timeout}:\n{Output}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds on the parsed samples; returns the last exposition.</summary>
    public string ScrapeUntil(Func<IReadOnlyList<Sample>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string? text = Get("/metrics");
            if (text is not null && condition(Sample.Parse(text))) return text;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"metrics condition not met within {timeout}; last scrape:\n{text}\ndaemon output:\n{Output}");
            Thread.Sleep(200);
        }
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>One sample line of a Prometheus text exposition: name, raw label set, value.</summary>
public sealed record Sample(string Name, string Labels, double Value)
{
    public static IReadOnlyList<Sample> Parse(string exposition)
    {
        var samples = new List<Sample>();
        foreach (string raw in exposition.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int brace = line.IndexOf('{');
            int space = line.LastIndexOf(' ');
            int nameEnd = brace >= 0 && brace < space ? brace : line.IndexOf(' ');
            string labels = brace >= 0 && brace < space ? line[brace..(line.LastIndexOf('}') + 1)] : "";
            if (labels == "{}") labels = ""; // the exporter writes an empty label set as {}
            samples.Add(new Sample(line[..nameEnd], labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }
        return samples;
    }
}
