using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Tests.Hardening;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// Probe 10 of docs/security.md: one source fills the registry with 63 KB registrations, within the
/// default limits, then a legitimate VTEP at another address joins one VNI. One source can never
/// take the global table: unsigned it holds at most its own address in <c>MaxVnisPerSource</c>
/// VNIs; signed (a careless VTEP holding the key) at most <c>MaxEntriesPerSource</c> entries. Each
/// refusal names the limit it hit, and the legitimate join is accepted.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class FairLimitsProbeTests(ITestOutputHelper output)
{
    private const uint LegitimateVni = 7;

    [KernelFact]
    public async Task Flood_UnsignedSource63KbRegistrations_HoldsOnlyItsOwnAddressLegitimateJoinAccepted()
    {
        await using var lab = await UnsignedServiceNodeLab.StartAsync("hfairu", 2);
        var flooder = UnsignedServiceNodeLab.Host(1);
        using var socket = lab.Bind(flooder);

        // Other addresses, 3,500 to a 63 KB datagram, into VNIs 1..20: all dropped whole.
        var foreign = Enumerable.Range(0, 20).Select(i => Encode(new RegisterMessage("flood", 600, false, WireResponseWanted.None,
            [new VniAddresses((uint)(i + 1), [.. Enumerable.Range(1, 3500).Select(a => IPAddress.Parse($"2001:db8:{i + 1:x}::{a:x}"))])]))).ToList();
        // Its own address in 5,000 VNIs (over MaxVnisPerSource, dropped whole), then in 4,096.
        var tooMany = Encode(new RegisterMessage("flood", 600, false, WireResponseWanted.None, [.. Enumerable.Range(1000, 5000).Select(v => new VniAddresses((uint)v, [flooder]))]));
        var most = Encode(new RegisterMessage("flood", 600, false, WireResponseWanted.None, [.. Enumerable.Range(1000, 4096).Select(v => new VniAddresses((uint)v, [flooder]))]));
        await lab.SendPacedAsync(socket, [.. foreign, tooMany, most]);
        double mismatch = await lab.DropsAsync("source_mismatch", foreign.Count);
        double vniLimit = await lab.DropsAsync("vni_limit", 1);

        var legitimate = UnsignedServiceNodeLab.Host(2);
        using var vtep = lab.Bind(legitimate);
        await lab.SendPacedAsync(vtep, [UnsignedServiceNodeLab.Register("legitimate", 600, legitimate, LegitimateVni)]);
        bool joined = await lab.EventuallyAsync(f => f.Any(e => e.Vni == LegitimateVni && e.Address == legitimate.ToString()), TimeSpan.FromSeconds(5));
        var fdb = await lab.Daemon.FdbAsync();
        int flooderEntries = fdb.Count(e => e.Address == flooder.ToString());

        output.WriteLine($"datagrams of {foreign[0].Length}, {tooMany.Length} and {most.Length} bytes: {mismatch} source_mismatch, {vniLimit} vni_limit; "
            + $"the flooder holds {flooderEntries} entries, {fdb.Count - flooderEntries - (joined ? 1 : 0)} foreign; legitimate join under the flood: {(joined ? "accepted" : "REFUSED")}");
        Assert.All([foreign[0].Length, tooMany.Length, most.Length], n => Assert.InRange(n, 40_000, ControlLimits.MaxDatagramBytes));
        Assert.Equal((foreign.Count, 1.0), (mismatch, vniLimit));
        Assert.Equal(4096, flooderEntries);
        Assert.True(joined, "a legitimate VTEP could not join under the flood");
        Assert.Equal(4097, fdb.Count);
    }

    [KernelFact]
    public async Task Flood_SignedSource63KbRegistrations_CappedAtMaxEntriesPerSourceLegitimateJoinAccepted()
    {
        string keys = Directory.CreateTempSubdirectory("hostile-keys").FullName;
        var (keyFile, ring) = HardeningFixture.WriteKeyFile(keys);
        try
        {
            await using var lab = await UnsignedServiceNodeLab.StartAsync("hfairs", 2, $"--ServiceNode:Authentication:KeyFile={keyFile}");
            var flooder = UnsignedServiceNodeLab.Host(1);
            using var socket = lab.Bind(flooder);
            // A careless VTEP holding the key: 3,500 other addresses to a 63 KB datagram, each in its own VNI.
            var flood = Enumerable.Range(0, 20).Select(i => Sign(ring, new RegisterMessage("flood", 600, false, WireResponseWanted.None,
                [new VniAddresses((uint)(i + 1), [.. Enumerable.Range(1, 3500).Select(a => IPAddress.Parse($"2001:db8:{i + 1:x}::{a:x}"))])]))).ToList();
            await lab.SendPacedAsync(socket, flood);
            double entryLimit = await lab.DropsAsync("entry_limit", 18);

            var legitimate = UnsignedServiceNodeLab.Host(2);
            using var vtep = lab.Bind(legitimate);
            await lab.SendPacedAsync(vtep, [Sign(ring, new RegisterMessage("legitimate", 600, false, WireResponseWanted.None, [new VniAddresses(LegitimateVni, [legitimate])]))]);
            bool joined = await lab.EventuallyAsync(f => f.Any(e => e.Vni == LegitimateVni && e.Address == legitimate.ToString()), TimeSpan.FromSeconds(5));
            int flooderEntries = (await lab.Daemon.FdbAsync()).Count(e => e.NodeId == "flood");

            output.WriteLine($"{flood.Count} signed datagrams of {flood[0].Length} bytes: {entryLimit} dropped as entry_limit; "
                + $"the flooder holds {flooderEntries} entries (MaxEntriesPerSource 8192 of MaxEntries 2000000); legitimate join under the flood: {(joined ? "accepted" : "REFUSED")}");
            Assert.Equal(18, entryLimit); // 2 x 3,500 fit in 8,192; a third would not
            Assert.Equal(7000, flooderEntries);
            Assert.True(joined, "a legitimate VTEP could not join under the flood");
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    private static byte[] Encode(RegisterMessage message) => Assert.Single(ControlCodec.EncodeRegister(message, ControlLimits.MaxDatagramBytes));

    private static byte[] Sign(Hosting.Authentication.AuthKeyRing ring, RegisterMessage message)
    {
        byte[] datagram = Assert.Single(ControlCodec.EncodeRegister(message, ControlLimits.MaxDatagramBytes, reserveAuthenticationTrailer: true));
        ring.Sign(datagram, TimeProvider.System);
        return datagram;
    }
}
