using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Systemd;

/// <summary>Logs of the systemd notification. Event ids 7100-7199.</summary>
internal static partial class SystemdLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "NOTIFY_SOCKET is not set: not running as a systemd Type=notify service")]
    public static partial void NotUnderSystemd(ILogger logger);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Notified systemd: {State}")]
    public static partial void Notified(ILogger logger, string state);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Cannot notify systemd at {Socket}: {State}")]
    public static partial void NotifyFailed(ILogger logger, string socket, string state, Exception exception);
}
