using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>
/// Sends <see cref="FuzzDatagrams"/> to a daemon's control and data ports over UDP, alternating,
/// from several source addresses, paced, bounded in time. One thread; the buffer is reused.
/// </summary>
public static class FuzzSender
{
    /// <param name="createSocket">Makes an unbound UDP socket of a family (tests create it inside a network namespace); null: a plain socket.</param>
    public static FuzzReport Run(FuzzSettings settings, Func<AddressFamily, Socket>? createSocket = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Sources.Count == 0) throw new ArgumentException("at least one source address", nameof(settings));
        createSocket ??= static family => new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        var fuzz = new FuzzDatagrams(settings.Seed, ownAddresses: settings.Sources);
        var control = Connect(settings.Control, settings.Sources, createSocket);
        var data = Connect(settings.Data, settings.Sources, createSocket);
        try
        {
            byte[] buffer = new byte[FuzzDatagrams.MaxDatagramBytes];
            long controlSent = 0, dataSent = 0, errors = 0;
            var clock = Stopwatch.StartNew();
            for (long i = 0; i < settings.Count; i++)
            {
                if ((i & 255) == 0)
                {
                    if (clock.Elapsed > settings.MaxDuration || cancellationToken.IsCancellationRequested) break;
                    if (settings.PerSecond > 0)
                    {
                        var due = TimeSpan.FromSeconds((double)i / settings.PerSecond);
                        if (due > clock.Elapsed) Thread.Sleep(due - clock.Elapsed);
                    }
                }
                bool toControl = data.Length == 0 || (control.Length > 0 && (i & 1) == 0);
                Socket[] sockets = toControl ? control : data;
                int length = toControl ? fuzz.NextControl(buffer) : fuzz.NextData(buffer);
                try
                {
                    sockets[(int)((i >> 1) % sockets.Length)].Send(buffer.AsSpan(0, length), SocketFlags.None);
                    if (toControl) controlSent++; else dataSent++;
                }
                catch (SocketException)
                {
                    // ECONNREFUSED from an earlier ICMP error, ENOBUFS: counted, the run goes on.
                    errors++;
                }
            }
            var byStrategy = Enum.GetValues<FuzzStrategy>().ToDictionary(s => s, s => fuzz.Counts[(int)s]);
            return new FuzzReport(controlSent, dataSent, errors, clock.Elapsed, byStrategy);
        }
        finally
        {
            foreach (var s in control.Concat(data)) s.Dispose();
        }
    }

    private static Socket[] Connect(IPEndPoint? target, IReadOnlyList<IPAddress> sources, Func<AddressFamily, Socket> createSocket)
    {
        if (target is null) return [];
        var sockets = new List<Socket>();
        foreach (var source in sources.Where(s => s.AddressFamily == target.AddressFamily))
        {
            var socket = createSocket(target.AddressFamily);
            socket.Bind(new IPEndPoint(source, 0));
            socket.Connect(target);
            sockets.Add(socket);
        }
        if (sockets.Count == 0) throw new ArgumentException($"no source address of the family of {target}");
        return [.. sockets];
    }
}
