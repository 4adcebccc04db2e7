using System.Globalization;
using System.Runtime.InteropServices;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// Datagrams the kernel dropped on our sockets before we could read them (receive buffer full,
/// and the other per-socket drops the kernel counts in <c>sk_drops</c>): the <c>drops</c> column of
/// /proc/net/udp, udp6, raw and raw6, found by each socket's inode. Works alike for .NET sockets
/// and our raw fds, needs no change to the receive paths, and costs nothing per datagram: the
/// files are read only when metrics are collected. Sockets register once, by name ("control",
/// "data"); several sockets of one name (the workers' data sockets) are summed, and the drops of a
/// socket that closed stay in its name's total, so the counter never goes backwards.
/// Process-wide (one daemon per process): a socket is registered where it is created, which may be
/// far from any DI container.
/// </summary>
public static class SocketDrops
{
    private static readonly string[] Tables = ["/proc/thread-self/net/udp", "/proc/thread-self/net/udp6", "/proc/thread-self/net/raw", "/proc/thread-self/net/raw6"];
    private static readonly object Lock = new();
    private static readonly List<Registered> Sockets = [];
    private static readonly Dictionary<string, long> Retired = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts <paramref name="socket"/>'s kernel drops under <paramref name="name"/> from now until
    /// it is closed. A socket whose inode cannot be found (not a socket) is ignored.
    /// </summary>
    public static void Register(string name, SafeHandle socket)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.IsInvalid || socket.IsClosed || InodeOf(socket) is not { } inode) return;
        lock (Lock) Sockets.Add(new Registered(name, inode, socket));
    }

    /// <summary>Total drops by socket name (names registered so far, closed sockets included).</summary>
    public static IReadOnlyDictionary<string, long> Read()
    {
        lock (Lock)
        {
            var totals = new Dictionary<string, long>(Retired, StringComparer.Ordinal);
            if (Sockets.Count == 0) return totals;
            var wanted = new Dictionary<ulong, long>();
            foreach (var s in Sockets) wanted[s.Inode] = -1;
            foreach (string table in Tables) ReadTable(table, wanted);
            for (int i = Sockets.Count - 1; i >= 0; i--)
            {
                var s = Sockets[i];
                long drops = wanted[s.Inode];
                // A socket gone from the tables has closed: its last figure stays in the total.
                if (drops >= 0) s.Last = drops;
                totals[s.Name] = totals.GetValueOrDefault(s.Name) + s.Last;
                if (s.Handle.IsClosed || drops < 0)
                {
                    Retired[s.Name] = Retired.GetValueOrDefault(s.Name) + s.Last;
                    Sockets.RemoveAt(i);
                }
            }
            return totals;
        }
    }

    /// <summary>The inode of the socket behind <paramref name="socket"/> ("socket:[INODE]" in /proc/self/fd).</summary>
    internal static ulong? InodeOf(SafeHandle socket)
    {
        string? target;
        try
        {
            target = new FileInfo($"/proc/self/fd/{socket.DangerousGetHandle().ToInt64()}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal) || !target.EndsWith(']')) return null;
        return ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode) ? inode : null;
    }

    /// <summary>
    /// One /proc/net table (format of net/ipv4/udp.c udp4_format_sock, shared by raw.c and the v6
    /// variants: the inode is the 10th field, the drops the last).
    /// </summary>
    internal static void ReadTable(string path, Dictionary<ulong, long> wanted)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        bool header = true;
        foreach (string line in lines)
        {
            if (header)
            {
                header = false;
                continue;
            }
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 13) continue;
            if (!ulong.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode) || !wanted.ContainsKey(inode)) continue;
            if (long.TryParse(fields[^1], NumberStyles.None, CultureInfo.InvariantCulture, out long drops)) wanted[inode] = drops;
        }
    }

    private sealed class Registered(string name, ulong inode, SafeHandle handle)
    {
        public string Name { get; } = name;
        public ulong Inode { get; } = inode;
        public SafeHandle Handle { get; } = handle;
        public long Last { get; set; }
    }
}
