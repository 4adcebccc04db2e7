using System.Net.Sockets;
using System.Text;

namespace Replicator.Hosting.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram of newline-separated "KEY=value" assignments
/// to the AF_UNIX socket named by <c>$NOTIFY_SOCKET</c>. A name starting with '@' is in the
/// abstract namespace (its first byte is NUL on the wire).
/// </summary>
public sealed class SystemdNotifier
{
    /// <summary>The environment variable systemd sets for Type=notify services.</summary>
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    private readonly UnixDomainSocketEndPoint _endpoint;

    /// <param name="notifySocket">A filesystem path ("/run/systemd/notify") or an abstract name ("@/org/freedesktop/systemd1/notify").</param>
    public SystemdNotifier(string notifySocket)
    {
        ArgumentException.ThrowIfNullOrEmpty(notifySocket);
        if (notifySocket[0] != '/' && notifySocket[0] != '@')
        {
            throw new ArgumentException($"{NotifySocketVariable} '{notifySocket}' is neither an absolute path nor an abstract name (@...)", nameof(notifySocket));
        }

        SocketName = notifySocket;
        // .NET treats a leading NUL as the abstract namespace, which systemd spells '@'.
        _endpoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
    }

    /// <summary>The socket name as given in the environment.</summary>
    public string SocketName { get; }

    /// <summary>A notifier for <c>$NOTIFY_SOCKET</c>, or null when the process does not run under systemd with Type=notify.</summary>
    public static SystemdNotifier? FromEnvironment()
    {
        string? socket = Environment.GetEnvironmentVariable(NotifySocketVariable);
        return string.IsNullOrEmpty(socket) ? null : new SystemdNotifier(socket);
    }

    /// <summary>Sends one notification, e.g. "READY=1" or "STATUS=waiting for sockets". Throws <see cref="SocketException"/> on failure.</summary>
    public void Notify(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        byte[] payload = Encoding.UTF8.GetBytes(state);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        int sent = socket.SendTo(payload, SocketFlags.None, _endpoint);
        if (sent != payload.Length)
        {
            throw new SocketException((int)SocketError.MessageSize);
        }
    }
}
