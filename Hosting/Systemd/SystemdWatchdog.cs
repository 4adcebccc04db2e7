using System.Globalization;

namespace Replicator.Hosting.Systemd;

/// <summary>
/// Whether systemd asked this process for watchdog keep-alives (sd_watchdog_enabled(3)):
/// <c>$WATCHDOG_USEC</c> holds the timeout in microseconds (from the unit's <c>WatchdogSec=</c>),
/// and <c>$WATCHDOG_PID</c>, when present, must name this process (the variables are inherited
/// by children that must not answer for it).
/// </summary>
public static class SystemdWatchdog
{
    public const string TimeoutVariable = "WATCHDOG_USEC";
    public const string PidVariable = "WATCHDOG_PID";

    /// <summary>The watchdog timeout systemd set for this process, or null when it set none.</summary>
    public static TimeSpan? TimeoutFromEnvironment() =>
        Timeout(Environment.GetEnvironmentVariable, Environment.ProcessId);

    /// <summary>The timeout read through <paramref name="variable"/> for process <paramref name="pid"/>; null when none applies.</summary>
    public static TimeSpan? Timeout(Func<string, string?> variable, int pid)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!ulong.TryParse(variable(TimeoutVariable), NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) || usec == 0)
        {
            return null;
        }

        string? forPid = variable(PidVariable);
        if (!string.IsNullOrEmpty(forPid)
            && (!int.TryParse(forPid, NumberStyles.None, CultureInfo.InvariantCulture, out int owner) || owner != pid))
        {
            return null;
        }

        // Capped so that the tick period fits a timer; keep-alives more often than needed are harmless.
        return TimeSpan.FromMicroseconds(Math.Min(usec, (ulong)TimeSpan.FromDays(1).TotalMicroseconds));
    }
}
