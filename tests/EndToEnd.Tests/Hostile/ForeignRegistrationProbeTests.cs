using System.Buffers.Binary;
using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Tests.Hardening;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// Probe 3 of docs/security.md: one source registers 10,000 addresses that never asked, unsigned (no key
/// file, <c>AllowUnauthenticated</c>). Without a signature a registration may only name its own
/// source address: every such registration is dropped whole, so a BUM datagram from that source
/// makes no copy at all.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ForeignRegistrationProbeTests(ITestOutputHelper output)
{
    private const uint Vni = 3000;

    [KernelFact]
    public async Task Register_TenThousandForeignAddressesUnsigned_NoneRegisteredNoCopies()
    {
        await using var lab = await UnsignedServiceNodeLab.StartAsync("hforeign", 1);
        var attacker = UnsignedServiceNodeLab.Host(1);
        using var socket = lab.Bind(attacker);
        // The attacker is a member itself (its own address: allowed), so its BUM datagram is replicated.
        await lab.SendPacedAsync(socket, [UnsignedServiceNodeLab.Register("attacker", 600, attacker, Vni)]);

        // 10,000 addresses that never asked (documentation ranges), in as few datagrams as fit: IPv4
        // ones on the service node's link (copies to them would be sent), the rest IPv6.
        var foreign = Enumerable.Range(100, 155).Select(i => IPAddress.Parse($"192.0.2.{i}"))
            .Concat(Enumerable.Range(1, 10_000 - 155).Select(i => IPAddress.Parse($"2001:db8:3::{i:x}"))).ToArray();
        var datagrams = ControlCodec.EncodeRegister(new RegisterMessage("attacker", 600, false, WireResponseWanted.None, [new VniAddresses(Vni, foreign)]),
            ControlLimits.MaxDatagramBytes);
        await lab.SendPacedAsync(socket, datagrams);
        double refused = await lab.DropsAsync("source_mismatch", datagrams.Count);

        var fdb = await lab.Daemon.FdbAsync();
        int registered = fdb.Count(e => e.Address != attacker.ToString());

        // One BUM datagram from the attacker into that VNI: copies go to the VNI's other members only.
        double copiesBefore = VxsndDaemon.Sum(await lab.Daemon.ScrapeAsync(), "vxsnd_copies_sent_total");
        double receivedBefore = VxsndDaemon.Sum(await lab.Daemon.ScrapeAsync(), "vxsnd_datagrams_received_total");
        using (var data = lab.Bind(attacker)) data.SendTo(BroadcastFrame(Vni), UnsignedServiceNodeLab.Data);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (VxsndDaemon.Sum(await lab.Daemon.ScrapeAsync(), "vxsnd_datagrams_received_total") <= receivedBefore && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await Task.Delay(200);
        double copies = VxsndDaemon.Sum(await lab.Daemon.ScrapeAsync(), "vxsnd_copies_sent_total") - copiesBefore;

        output.WriteLine($"{foreign.Length} foreign addresses in {datagrams.Count} datagrams of {string.Join('/', datagrams.Select(d => d.Length))} bytes: "
            + $"{refused} dropped as source_mismatch; foreign addresses registered: {registered}; copies of one BUM datagram: {copies}");
        Assert.Equal(datagrams.Count, refused);
        Assert.Equal(0, registered);
        Assert.Equal(0, copies);
    }

    private static byte[] BroadcastFrame(uint vni)
    {
        var datagram = new byte[8 + 14 + 28];
        datagram[0] = 0x08; // I flag (RFC 7348)
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), vni << 8);
        datagram.AsSpan(8, 6).Fill(0xff); // broadcast destination MAC
        datagram[14] = 0x02; // a locally administered unicast source MAC
        datagram[20] = 0x08; // EtherType ARP
        datagram[21] = 0x06;
        return datagram;
    }
}
