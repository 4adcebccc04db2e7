using System.Net;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Tests.Registration;

public sealed class PeerListAssemblerTests
{
    private static readonly IPEndPoint Sn = new(IPAddress.Parse("203.0.113.1"), 10001);

    private static VniAddresses V(uint vni, params string[] a) => new(vni, [.. a.Select(IPAddress.Parse)]);

    [Fact]
    public void Add_SinglePart_CompleteAtOnce()
    {
        var update = new PeerListAssembler().Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1", "192.0.2.2"), V(200)]));
        Assert.NotNull(update);
        Assert.Equal(2, update.Members[100].Count);
        Assert.Empty(update.Members[200]);
        Assert.Equal(TimeSpan.FromSeconds(90), update.HoldTime);
    }

    [Fact]
    public void Add_SplitVniAcrossParts_MergedWhenAllPartsArrived()
    {
        var a = new PeerListAssembler();
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], Generation: 7, PartIndex: 1, PartCount: 2)));
        var update = a.Add(Sn, new PeerListMessage(90, [V(50, "192.0.2.9"), V(100, "192.0.2.2")], Generation: 7, PartIndex: 0, PartCount: 2));
        Assert.NotNull(update);
        Assert.Equal(["192.0.2.2", "192.0.2.1"], update.Members[100].Select(x => x.ToString()));
        Assert.Single(update.Members[50]);
    }

    [Fact]
    public void Add_RealSplitFromCodec_RoundTrips()
    {
        var members = Enumerable.Range(1, 400).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToList();
        var message = new PeerListMessage(90, [new VniAddresses(100, members)], Generation: 3);
        var datagrams = ControlCodec.EncodePeerList(message);
        Assert.True(datagrams.Count > 1);
        var a = new PeerListAssembler();
        PeerListUpdate? update = null;
        foreach (var d in datagrams.Reverse())
        {
            Assert.True(ControlCodec.TryDecode(d, out var decoded, out _));
            update = a.Add(Sn, (PeerListMessage)decoded);
        }
        Assert.NotNull(update);
        Assert.Equal(members.Order(Comparer<IPAddress>.Create(AddressOrder.Compare)), update.Members[100].Order(Comparer<IPAddress>.Create(AddressOrder.Compare)));
    }

    [Fact]
    public void Add_IncompleteGenerations_DroppedWhenNewerPileUp()
    {
        var a = new PeerListAssembler();
        for (uint g = 0; g < 10; g++) Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], g, 0, 2)));
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.2")], 0, 1, 2)));
        Assert.NotNull(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.2")], 9, 1, 2)));
    }
}
