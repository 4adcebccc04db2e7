using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Tests.Hardening;
using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// A real vxsnd in a namespace of its own (192.0.2.1 on a bridged underlay, control port 10001),
/// run with <c>AllowUnauthenticated</c> unless the test gives it a key file, and one "hosts"
/// namespace holding the VTEPs' and attackers' addresses (192.0.2.11 ..) on its eth0, so each test
/// socket is a distinct source address that is not one of the service node's own.
/// </summary>
internal sealed class UnsignedServiceNodeLab : IAsyncDisposable
{
    public static readonly IPAddress ServiceNode = IPAddress.Parse("192.0.2.1");

    private readonly BridgedUnderlay _underlay;

    private UnsignedServiceNodeLab(BridgedUnderlay underlay, NetworkNamespace hosts, VxsndDaemon daemon)
    {
        _underlay = underlay;
        Hosts = hosts;
        Daemon = daemon;
    }

    public NetworkNamespace Hosts { get; }

    public VxsndDaemon Daemon { get; }

    public static IPEndPoint Control => new(ServiceNode, VxsndDaemon.ControlPort);

    public static IPEndPoint Data => new(ServiceNode, VxsndDaemon.DataPort);

    /// <summary>Host address n (1-based): 192.0.2.(10+n).</summary>
    public static IPAddress Host(int n) => IPAddress.Parse($"192.0.2.{10 + n}");

    /// <param name="tag">Short, unique per test (namespace names).</param>
    /// <param name="hosts">How many host addresses to put in the hosts namespace.</param>
    public static async Task<UnsignedServiceNodeLab> StartAsync(string tag, int hosts, params string[] extra)
    {
        var underlay = new BridgedUnderlay(tag);
        try
        {
            var sn = underlay.Add(tag + "sn", ServiceNode + "", 24);
            var h = underlay.Add(tag + "h", Host(1) + "", 24);
            for (int n = 2; n <= hosts; n++) h.Exec("ip", "addr", "add", $"{Host(n)}/24", "dev", "eth0");
            // Without a key file the daemon must be told it may run unauthenticated; with one it needs no such word.
            bool keyed = extra.Any(a => a.StartsWith("--ServiceNode:Authentication:KeyFile=", StringComparison.Ordinal));
            var daemon = await VxsndDaemon.StartAsync(sn,
                [$"--ServiceNode:ControlAddress={ServiceNode}", .. keyed ? Array.Empty<string>() : ["--ServiceNode:Authentication:AllowUnauthenticated=true"], .. extra]);
            return new UnsignedServiceNodeLab(underlay, h, daemon);
        }
        catch
        {
            underlay.Dispose();
            throw;
        }
    }

    /// <summary>A UDP socket in the hosts namespace bound to <paramref name="address"/> (an attacker's or a VTEP's source).</summary>
    public Socket Bind(IPAddress address, int receiveTimeoutMs = 500)
    {
        var socket = Hosts.Enter(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.Bind(new IPEndPoint(address, 0));
        socket.ReceiveTimeout = receiveTimeoutMs;
        return socket;
    }

    /// <summary>Control datagrams vxsnd has dealt with: registrations received plus every drop.</summary>
    public async Task<double> HandledAsync()
    {
        var samples = await Daemon.ScrapeAsync();
        return VxsndDaemon.Sum(samples, "vxsnd_registrations_received_total") + VxsndDaemon.Sum(samples, "vxsnd_control_dropped_total");
    }

    /// <summary>
    /// Sends each datagram and waits until vxsnd has handled it (counted as received or dropped)
    /// before the next: large registrations sent back to back would overflow its receive buffer.
    /// </summary>
    public async Task SendPacedAsync(Socket socket, IEnumerable<byte[]> datagrams)
    {
        foreach (byte[] datagram in datagrams)
        {
            double before = await HandledAsync();
            socket.SendTo(datagram, Control);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (await HandledAsync() < before + 1)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"vxsnd did not handle a {datagram.Length}-byte datagram: {Daemon.Stderr}");
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Drops of <paramref name="reason"/>, waiting (bounded) until there are at least <paramref name="atLeast"/>.</summary>
    public async Task<double> DropsAsync(string reason, double atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            double n = VxsndDaemon.ByReason(await Daemon.ScrapeAsync(), "vxsnd_control_dropped_total").GetValueOrDefault(reason);
            if (n >= atLeast || DateTime.UtcNow > deadline) return n;
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the registry shows <paramref name="condition"/>; false after the timeout.</summary>
    public async Task<bool> EventuallyAsync(Func<List<ServiceNode.Management.FdbEntryResponse>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(await Daemon.FdbAsync()))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    public static byte[] Register(string nodeId, uint hold, IPAddress address, params uint[] vnis) =>
        ControlCodec.Encode(new RegisterMessage(nodeId, hold, false, WireResponseWanted.None, [.. vnis.Select(v => new VniAddresses(v, [address]))]));

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _underlay.Dispose();
    }
}
