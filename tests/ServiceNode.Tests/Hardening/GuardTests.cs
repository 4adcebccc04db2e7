using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>Amplification guards of a real vxsnd: per-source and global control rate limits, VNIs per source.</summary>
[Collection(KernelCollection.Name)]
public class GuardTests(ITestOutputHelper output)
{
    private static byte[] Register(string node, IPAddress address, uint hold, params uint[] vnis) =>
        ControlCodec.Encode(new RegisterMessage(node, hold, false, WireResponseWanted.None, [.. vnis.Select(v => new VniAddresses(v, [address]))]));

    private static async Task<double> DropsAsync(VxsndDaemon daemon, string reason, double atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            double n = VxsndDaemon.ByReason(await daemon.ScrapeAsync(), "vxsnd_control_dropped_total").GetValueOrDefault(reason);
            if (n >= atLeast || DateTime.UtcNow > deadline) return n;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until each of <paramref name="sent"/> datagrams is accounted for: dropped for
    /// <paramref name="reason"/>, dropped by the kernel (full receive buffer, on a busy machine), or
    /// received; returns those figures and the seconds since <paramref name="clock"/> started, the
    /// longest the limiter can have been refilling.
    /// </summary>
    private static async Task<(double Limited, double Kernel, double Accepted, double Seconds)> AccountAsync(
        VxsndDaemon daemon, string reason, int sent, System.Diagnostics.Stopwatch clock)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var metrics = await daemon.ScrapeAsync();
            double limited = VxsndDaemon.ByReason(metrics, "vxsnd_control_dropped_total").GetValueOrDefault(reason);
            double kernel = metrics.GetValueOrDefault("vxsnd_socket_drops_total{socket=\"control\"}");
            double received = VxsndDaemon.Sum(metrics, "vxsnd_registrations_received_total");
            if (limited + kernel + received >= sent || DateTime.UtcNow > deadline)
                return (limited, kernel, sent - limited - kernel, clock.Elapsed.TotalSeconds);
            await Task.Delay(100);
        }
    }

    [KernelFact]
    public async Task RateLimit_OneSourceFloods_ExcessDroppedOthersStillServed()
    {
        using var ns = NetworkNamespace.Create("hrate");
        await using var daemon = await VxsndDaemon.StartAsync(ns, "--ServiceNode:Hardening:ControlRateLimitPerSource=10", "--ServiceNode:Hardening:ControlRateLimitBurstSeconds=2");
        var flooder = IPAddress.Parse("127.0.6.1");
        using var socket = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(flooder, 0));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 500; i++)
        {
            socket.SendTo(Register("flooder", flooder, 600, (uint)(1000 + i % 50)), VxsndDaemon.Control);
            if (i % 25 == 24) await Task.Delay(2); // paced below the socket buffer, far above the limit
        }
        // Accepted: at most the burst of 20 and what refilled until the last datagram was handled
        // (on a busy machine vxsnd may take seconds; then the kernel may drop some too).
        var (limited, kernel, accepted, seconds) = await AccountAsync(daemon, "rate_limited_source", 500, clock);
        output.WriteLine($"rate_limited_source {limited}, kernel drops {kernel}, accepted {accepted} in {seconds:F2} s");
        Assert.InRange(accepted, Math.Min(20, 500 - kernel), 20 + Math.Ceiling(10 * seconds) + 1);

        var other = IPAddress.Parse("127.0.6.2");
        using var polite = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
        polite.Bind(new IPEndPoint(other, 0));
        polite.SendTo(Register("polite", other, 600, 7), VxsndDaemon.Control);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!(await daemon.FdbAsync()).Any(e => e.Vni == 7 && e.Address == "127.0.6.2"))
        {
            Assert.True(DateTime.UtcNow < deadline, "a polite source was refused while another flooded");
            await Task.Delay(100);
        }
    }

    [KernelFact]
    public async Task RateLimit_SpoofedSourcesFlood_GlobalLimitHolds()
    {
        using var ns = NetworkNamespace.Create("hglobal");
        await using var daemon = await VxsndDaemon.StartAsync(ns, "--ServiceNode:Hardening:ControlRateLimitGlobal=50", "--ServiceNode:Hardening:ControlRateLimitBurstSeconds=1");
        var sockets = Enumerable.Range(1, 100).Select(i =>
        {
            var s = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
            s.Bind(new IPEndPoint(IPAddress.Parse($"127.0.7.{i}"), 0));
            return s;
        }).ToList();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int k = 0; k < 5; k++)
            {
                foreach (var (s, i) in sockets.Select((s, i) => (s, i)))
                {
                    s.SendTo(Register($"spoof-{i}", IPAddress.Parse($"127.0.7.{i + 1}"), 600, (uint)(2000 + k)), VxsndDaemon.Control);
                    if (i % 25 == 24) await Task.Delay(2);
                }
            }
            var (limited, kernel, accepted, seconds) = await AccountAsync(daemon, "rate_limited_global", 500, clock);
            output.WriteLine($"rate_limited_global {limited}, kernel drops {kernel}, accepted {accepted} in {seconds:F2} s");
            Assert.InRange(accepted, Math.Min(50, 500 - kernel), 50 + Math.Ceiling(50 * seconds) + 1); // the burst of 50 and what refilled meanwhile
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [KernelFact]
    public async Task MaxVnisPerSource_RegistrationOverTheCap_DroppedWholeUntilAVniIsWithdrawn()
    {
        using var ns = NetworkNamespace.Create("hvnicap");
        await using var daemon = await VxsndDaemon.StartAsync(ns, "--ServiceNode:Hardening:MaxVnisPerSource=4");
        var vtep = IPAddress.Parse("127.0.8.1");
        using var socket = HardeningFixture.SocketsIn(ns)(AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(vtep, 0));
        socket.SendTo(Register("capped", vtep, 600, 1, 2, 3), VxsndDaemon.Control);
        socket.SendTo(Register("capped", vtep, 600, 4, 5), VxsndDaemon.Control); // would make 5: refused whole
        Assert.Equal(1, await DropsAsync(daemon, "vni_limit", 1));
        socket.SendTo(Register("capped", vtep, 600, 4), VxsndDaemon.Control);
        socket.SendTo(Register("capped", vtep, 0, 1), VxsndDaemon.Control); // withdraw VNI 1
        socket.SendTo(Register("capped", vtep, 600, 5), VxsndDaemon.Control);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        List<uint> vnis;
        while ((vnis = [.. (await daemon.FdbAsync()).Select(e => e.Vni).Order()]) is not [2, 3, 4, 5])
        {
            Assert.True(DateTime.UtcNow < deadline, $"registry holds VNIs {string.Join(',', vnis)}");
            await Task.Delay(100);
        }
        Assert.Equal(1, await DropsAsync(daemon, "vni_limit", 1));
    }
}
