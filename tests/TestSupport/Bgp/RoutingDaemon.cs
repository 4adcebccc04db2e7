using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Replicator.TestSupport.Bgp;

/// <summary>
/// A routing daemon (FRR's zebra or bgpd, gobgpd) running in the foreground inside a test
/// namespace, its output kept for failure messages. <c>ip netns exec</c> execs the daemon, so the
/// process we hold is the daemon itself and stopping it needs no pid file.
/// </summary>
public sealed class RoutingDaemon : IDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public RoutingDaemon(NetworkNamespace ns, string name, string file, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(ns);
        Name = name;
        _process = ns.Start(file, args);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the daemon wrote to stdout and stderr (the last 64 KiB).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// SIGTERM, then SIGKILL when it has not exited within <paramref name="grace"/> (FRR's daemons
    /// take 1-3 s); returns only once the process is gone, so nothing outlives a test.
    /// </summary>
    public void Stop(TimeSpan grace)
    {
        if (_process.HasExited) return;
        Shell.Run("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(grace))
        {
            Shell.Run("kill", "-KILL", _process.Id.ToString(CultureInfo.InvariantCulture));
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.WaitForExit(TimeSpan.FromSeconds(2)); // drains the output
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length > MaxOutputChars) _output.Remove(0, _output.Length - (MaxOutputChars / 2));
            _output.AppendLine(line);
        }
    }
}
