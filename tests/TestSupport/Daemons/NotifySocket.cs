using System.Net.Sockets;
using System.Text;

namespace Replicator.TestSupport;

/// <summary>
/// A unix datagram socket standing in for systemd's notification socket: bound to a fresh
/// path under /tmp or to a unique abstract name, receiving what the daemon sends. A path works
/// for a daemon in another network namespace; an abstract name does not (it is per namespace).
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private static int s_counter;
    private readonly Socket _socket;
    private readonly string? _directory;

    private NotifySocket(bool isAbstract)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        string unique = $"rpl-obs-notify-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        if (isAbstract)
        {
            Name = "@" + unique;
            _socket.Bind(new UnixDomainSocketEndPoint("\0" + unique));
        }
        else
        {
            _directory = Directory.CreateTempSubdirectory("rpl-obs-").FullName;
            Name = Path.Combine(_directory, "notify");
            _socket.Bind(new UnixDomainSocketEndPoint(Name));
        }
    }

    /// <summary>The name as systemd would put it in NOTIFY_SOCKET.</summary>
    public string Name { get; }

    public static NotifySocket BindPath() => new(isAbstract: false);

    public static NotifySocket BindAbstract() => new(isAbstract: true);

    /// <summary>Receives one datagram, or fails after the timeout.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Receives datagrams until one contains <paramref name="assignment"/>; returns all of them.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string assignment, TimeSpan? timeout = null)
    {
        var received = new List<string>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no '{assignment}' within the timeout; received: {string.Join(" | ", received)}");
            }

            string message = await ReceiveAsync(left);
            received.Add(message);
            if (message.Split('\n').Contains(assignment))
            {
                return received;
            }
        }
    }

    /// <summary>Every datagram that arrives within <paramref name="duration"/>.</summary>
    public async Task<List<string>> ReceiveForAsync(TimeSpan duration)
    {
        var received = new List<string>();
        var deadline = DateTime.UtcNow + duration;
        while (deadline - DateTime.UtcNow is { } left && left > TimeSpan.Zero)
        {
            try
            {
                received.Add(await ReceiveAsync(left));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return received;
    }

    /// <summary>True when a datagram is already waiting (nothing is consumed).</summary>
    public bool HasPending => _socket.Available > 0;

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
