using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Replicator.TestSupport;

/// <summary>
/// A daemon (vxsnd or vxrd) running as a process inside a test namespace, its output kept for
/// failure messages. <c>ip netns exec</c> execs the daemon, so <see cref="Id"/> is the daemon's pid.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Runs <c>dotnet <paramref name="dll"/></c> (e.g. <see cref="RepositoryRoot.ReleaseDll"/>), or the shipped binary (<see cref="DaemonExecutable"/>), in <paramref name="ns"/>.</summary>
    public static DaemonProcess StartDll(NetworkNamespace ns, string dll, params string[] args) =>
        StartDll(ns, dll, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="StartDll(NetworkNamespace, string, string[])"/>, with <paramref name="environment"/> added (systemd's NOTIFY_SOCKET, WATCHDOG_USEC).</summary>
    public static DaemonProcess StartDll(NetworkNamespace ns, string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(environment);
        var (file, arguments) = DaemonExecutable.ForDll(dll, args);
        var merged = new Dictionary<string, string>(Environment);
        foreach (var (k, v) in environment) merged[k] = v;
        return new DaemonProcess(ns.Start(file, arguments, merged));
    }

    /// <summary>Runs the daemon's executable copied next to the running test assembly (a project reference), or the shipped binary (<see cref="DaemonExecutable"/>), in <paramref name="ns"/>.</summary>
    public static DaemonProcess StartBuilt(NetworkNamespace ns, string executable, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new DaemonProcess(ns.Start(DaemonExecutable.ForName(executable), args, Environment));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits for the process to exit by itself (e.g. a refused start), output drained; false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // drains the output
        return true;
    }

    /// <summary>SIGTERM, then waits for the exit code; SIGKILL and a <see cref="TimeoutException"/> when it does not stop in time.</summary>
    public int Terminate(TimeSpan timeout)
    {
        if (_process.HasExited) return _process.ExitCode;
        Shell.Run("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(timeout)) { Kill(); throw new TimeoutException("no exit after SIGTERM:\n" + Output); }
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as after a crash.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        try { _process.Kill(); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
