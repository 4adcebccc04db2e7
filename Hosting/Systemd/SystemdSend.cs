using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Systemd;

/// <summary>One notification through the package's notifier, whose failures are logged and never fatal.</summary>
internal static class SystemdSend
{
    /// <summary>Sends <paramref name="state"/> ("READY=1\nSTATUS=ready", "WATCHDOG=1"); false, logged, when it could not.</summary>
    public static bool TrySend(ISystemdNotifier notifier, string state, ILogger logger)
    {
        try
        {
            notifier.Notify(new ServiceState(state));
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            SystemdLog.NotifyFailed(logger, state.Replace('\n', ' '), e);
            return false;
        }
    }
}
