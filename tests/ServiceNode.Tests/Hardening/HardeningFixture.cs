using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Authentication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>Shared bits of the hardening tests: key files, namespace sockets, UDP counters, waiting for quiet metrics.</summary>
internal static class HardeningFixture
{
    /// <summary>Writes a key file (mode 600) with one primary key; returns its path and the ring.</summary>
    public static (string Path, AuthKeyRing Ring) WriteKeyFile(string directory, uint keyId = 1)
    {
        byte[] key = AuthKeyRing.GenerateKey();
        string text = "# test keys\n" + AuthKeyFileFormat.FormatLine(keyId, key, primary: true) + "\n";
        string path = System.IO.Path.Combine(directory, "keys");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (path, AuthKeyFileFormat.Parse(text));
    }

    public static Func<AddressFamily, Socket> SocketsIn(NetworkNamespace ns) =>
        family => ns.Enter(() => new Socket(family, SocketType.Dgram, ProtocolType.Udp));

    /// <summary>The namespace's UDP counters from /proc/net/snmp (InDatagrams, NoPorts, InErrors, RcvbufErrors, ...).</summary>
    public static Dictionary<string, long> UdpCounters(NetworkNamespace ns)
    {
        string[] lines = ns.Exec("cat", "/proc/net/snmp").Split('\n').Where(l => l.StartsWith("Udp: ", StringComparison.Ordinal)).ToArray();
        string[] names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        string[] values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        return names.Zip(values).ToDictionary(p => p.First, p => long.Parse(p.Second, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Scrapes until two scrapes a little apart agree on <paramref name="names"/> (the daemon has drained its sockets).</summary>
    public static async Task<Dictionary<string, double>> QuietMetricsAsync(VxsndDaemon daemon, TimeSpan timeout, params string[] names)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await daemon.ScrapeAsync();
        while (true)
        {
            await Task.Delay(500);
            var now = await daemon.ScrapeAsync();
            if (names.All(n => VxsndDaemon.Sum(now, n) == VxsndDaemon.Sum(last, n)) || DateTime.UtcNow > deadline) return now;
            last = now;
        }
    }

    public static IReadOnlyList<IPAddress> Loopbacks(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => IPAddress.Parse($"{prefix}.{i}"))];
}
