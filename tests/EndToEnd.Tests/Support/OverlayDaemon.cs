using System.Diagnostics;
using System.Text;
using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests.Support;

/// <summary>One daemon process (the built vxsnd or vxrd next to this assembly) inside a namespace, with its output captured.</summary>
internal sealed class OverlayDaemon : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OverlayDaemon(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static OverlayDaemon Start(NetworkNamespace ns, string executable, params string[] args) =>
        new(ns.Start(Path.Combine(AppContext.BaseDirectory, executable), args, new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning" }));

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>SIGTERM and wait for the exit code.</summary>
    public int Terminate()
    {
        if (_process.HasExited) return _process.ExitCode;
        Shell.Run("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(15_000)) { Kill(); throw new TimeoutException("no exit after SIGTERM:\n" + Output); }
        _process.WaitForExit();
        return _process.ExitCode;
    }

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
