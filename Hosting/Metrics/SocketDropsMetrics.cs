using System.Diagnostics.Metrics;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// <c>{daemon}.socket.drops</c> (Prometheus <c>vxsnd_socket_drops_total</c> /
/// <c>vxrd_socket_drops_total</c>), by <c>socket</c>: the kernel's drops on the sockets registered
/// with <see cref="SocketDrops"/>, read when metrics are collected.
/// </summary>
public sealed class SocketDropsMetrics
{
    public const string MeterName = "Replicator.Hosting.SocketDrops";

    public SocketDropsMetrics(IMeterFactory meterFactory, string daemonName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(daemonName);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter($"{daemonName}.socket.drops", Observe, "{datagram}",
            "Datagrams the kernel dropped on a socket before the daemon read them (receive buffer full), by socket.");
    }

    private static IEnumerable<Measurement<long>> Observe()
    {
        foreach (var (name, drops) in SocketDrops.Read())
            yield return new Measurement<long>(drops, new KeyValuePair<string, object?>("socket", name));
    }
}
