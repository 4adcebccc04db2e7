using System.Globalization;

namespace Replicator.Hosting.Systemd.Tests;

/// <summary>
/// Sets what systemd sets for a Type=notify service with <c>WatchdogSec=</c> (<c>NOTIFY_SOCKET</c>,
/// <c>WATCHDOG_USEC</c>, <c>WATCHDOG_PID</c>) while a host is built, restoring the old values on
/// dispose. The variables are process-wide, so tests that use it run in
/// <see cref="SystemdEnvironmentCollection"/>, alone.
/// </summary>
internal sealed class SystemdEnvironment : IDisposable
{
    private static readonly string[] Variables = ["NOTIFY_SOCKET", SystemdWatchdog.TimeoutVariable, SystemdWatchdog.PidVariable];
    private readonly Dictionary<string, string?> _saved = [];

    public SystemdEnvironment(string? notifySocket, TimeSpan? watchdog = null, int? watchdogPid = null)
    {
        foreach (string name in Variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", notifySocket);
        Environment.SetEnvironmentVariable(SystemdWatchdog.TimeoutVariable,
            watchdog is { } w ? ((long)w.TotalMicroseconds).ToString(CultureInfo.InvariantCulture) : null);
        Environment.SetEnvironmentVariable(SystemdWatchdog.PidVariable,
            watchdog is null ? null : (watchdogPid ?? Environment.ProcessId).ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemdEnvironmentCollection
{
    public const string Name = "systemd environment";
}
