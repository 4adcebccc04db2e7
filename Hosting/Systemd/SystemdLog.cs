using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Systemd;

/// <summary>Logs of the systemd notification and watchdog. Event ids 1400-1499 (<see cref="HostingEventIds"/>).</summary>
internal static partial class SystemdLog
{
    [LoggerMessage(EventId = HostingEventIds.NotUnderSystemd, Level = LogLevel.Debug, Message = "NOTIFY_SOCKET is not set: not running as a systemd Type=notify service")]
    public static partial void NotUnderSystemd(ILogger logger);

    [LoggerMessage(EventId = HostingEventIds.SystemdNotified, Level = LogLevel.Information, Message = "Notified systemd: {State}")]
    public static partial void Notified(ILogger logger, string state);

    [LoggerMessage(EventId = HostingEventIds.SystemdNotifyFailed, Level = LogLevel.Warning, Message = "Cannot notify systemd: {State}")]
    public static partial void NotifyFailed(ILogger logger, string state, Exception exception);

    [LoggerMessage(EventId = HostingEventIds.WatchdogEnabled, Level = LogLevel.Information, Message = "systemd watchdog: timeout {TimeoutSeconds} s, WATCHDOG=1 every {PeriodSeconds} s while every loop makes progress ({Loops})")]
    public static partial void WatchdogEnabled(ILogger logger, double timeoutSeconds, double periodSeconds, string loops);

    [LoggerMessage(EventId = HostingEventIds.WatchdogLoopsStalled, Level = LogLevel.Error, Message = "systemd watchdog: no progress in {Loops} for {PeriodSeconds} s; WATCHDOG=1 withheld, so systemd restarts the daemon if it stays so")]
    public static partial void LoopsStalled(ILogger logger, string loops, double periodSeconds);

    [LoggerMessage(EventId = HostingEventIds.WatchdogLoopsRecovered, Level = LogLevel.Warning, Message = "systemd watchdog: every loop makes progress again; WATCHDOG=1 resumed")]
    public static partial void LoopsRecovered(ILogger logger);
}
