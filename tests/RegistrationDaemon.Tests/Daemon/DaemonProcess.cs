using System.Diagnostics;
using System.Text;
using Replicator.TestSupport;

namespace Replicator.RegistrationDaemon.Tests.Daemon;

/// <summary>A daemon (vxrd or vxsnd) running as a process inside a test namespace, its output kept for diagnostics.</summary>
public sealed class DaemonProcess : IDisposable
{
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

    public static string RepositoryRoot => TestSupport.RepositoryRoot.Path;

    public static string Dll(string project, string name) => TestSupport.RepositoryRoot.ReleaseDll(project, name);

    public static DaemonProcess Start(NetworkNamespace ns, string dll, params string[] args) =>
        new(ns.Start("dotnet", [dll, .. args], new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning" }));

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>SIGTERM and wait for a clean exit.</summary>
    public int Terminate(TimeSpan timeout)
    {
        if (_process.HasExited) return _process.ExitCode;
        Shell.Run("kill", "-TERM", _process.Id.ToString());
        if (!_process.WaitForExit(timeout)) { Kill(); throw new TimeoutException("daemon did not stop after SIGTERM:\n" + Output); }
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
