using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.Hosting.Addressing;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class RegistryAddressPolicyTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(90);
    private static readonly VtepAddress A = Addr("192.0.2.1");
    private static readonly VtepAddress Own = Addr("192.0.2.6");

    private readonly FakeTimeProvider _time = new();
    private readonly MemberTable _table = new();
    private readonly ServiceNode.Registry.Registry _registry;

    public RegistryAddressPolicyTests()
    {
        _registry = new(new RegistryLimits(100, 10, TimeSpan.FromSeconds(30)), _time, _table)
        {
            Own = OwnAddressSet.From([], [(IPAddress.Parse("192.0.2.6"), 24, null)], allowLoopback: false),
        };
    }

    private static VtepAddress Addr(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    private static Registration Reg(VtepAddress address, bool relayed = false) =>
        new("n", Hold, relayed, ResponseWanted.None, [new VniRegistration(100, [address])]);

    [Theory]
    [InlineData("127.0.0.1", AddressRefusal.Loopback)]
    [InlineData("::1", AddressRefusal.Loopback)]
    [InlineData("169.254.1.1", AddressRefusal.LinkLocal)]
    [InlineData("fe80::1", AddressRefusal.LinkLocal)]
    [InlineData("240.0.0.1", AddressRefusal.Reserved)]
    [InlineData("192.0.2.255", AddressRefusal.Broadcast)]
    [InlineData("255.255.255.255", AddressRefusal.Broadcast)]
    [InlineData("0.0.0.0", AddressRefusal.Unspecified)]
    [InlineData("::", AddressRefusal.Unspecified)]
    [InlineData("224.0.0.1", AddressRefusal.Multicast)]
    [InlineData("ff02::1", AddressRefusal.Multicast)]
    [InlineData("192.0.2.6", AddressRefusal.Own)]
    [InlineData("::ffff:192.0.2.6", AddressRefusal.Own)]
    public void Apply_RefusedAddress_RejectedWithReasonAndCounted(string text, AddressRefusal expected)
    {
        var result = _registry.Apply(Reg(Addr(text)));

        Assert.Equal(RegistryError.InvalidAddress, result.Error);
        Assert.Equal($"{Addr(text)} {AddressPolicy.Describe(expected)}", result.Message);
        Assert.Equal(1, _registry.RefusedCount(EntrySource.Registered, expected));
        Assert.Equal(0, _registry.EntryCount);
    }

    [Fact]
    public void EveryWay_OwnAddress_Refused()
    {
        Assert.False(_registry.Apply(Reg(Own, relayed: true)).Succeeded);
        Assert.Equal(RegistryError.InvalidAddress, _registry.Learn(100, Own).Error);
        var added = _registry.AddStatic(new StaticEntry(100, Own));
        Assert.Equal("192.0.2.6 is one of this node's own addresses", added.Message);
        Assert.False(_registry.ReplaceStatic([new StaticEntry(100, A), new StaticEntry(100, Own)], persist: false).Succeeded);

        Assert.Equal(0, _registry.EntryCount);
        Assert.Equal(1, _registry.RefusedCount(EntrySource.Relayed, AddressRefusal.Own));
        Assert.Equal(1, _registry.RefusedCount(EntrySource.Learned, AddressRefusal.Own));
        Assert.Equal(2, _registry.RefusedCount(EntrySource.Static, AddressRefusal.Own));
    }

    [Fact]
    public void Apply_AllowLoopback_AdmitsLoopbackButNotOwn()
    {
        _registry.Limits = _registry.Limits with { AllowLoopback = true };

        Assert.True(_registry.Apply(Reg(Addr("127.0.0.2"))).Succeeded);
        Assert.True(_registry.Apply(Reg(Addr("::1"))).Succeeded);
        Assert.False(_registry.Apply(Reg(Own)).Succeeded);
        Assert.False(_registry.Apply(Reg(Addr("169.254.1.1"))).Succeeded);
    }

    [Fact]
    public void Own_AddressBecomesOwn_HiddenFromSnapshotAndPeerListsThenBack()
    {
        var b = Addr("198.51.100.2");
        Assert.True(_registry.Apply(Reg(A)).Succeeded);
        Assert.True(_registry.AddStatic(new StaticEntry(100, b)).Succeeded);
        _registry.PublishChanges();
        Assert.True(_table.TryGet(100, out var before));
        Assert.Equal(2, before.Addresses.Length);

        // 198.51.100.2 is added to the node: it must get no copies, and peers must not be told of it.
        _registry.Own = OwnAddressSet.From([], [(IPAddress.Parse("192.0.2.6"), 24, null), (IPAddress.Parse("198.51.100.2"), 32, null)], false);
        Assert.Equal(new[] { 100u }, _registry.PublishChanges().ToArray());
        Assert.True(_table.TryGet(100, out var hidden));
        Assert.Equal(new[] { A.ToIPAddress() }, hidden.Addresses.ToArray());
        var members = new List<VtepAddress>();
        _registry.CollectMembers(100, members);
        Assert.Equal(new[] { A }, members.ToArray());
        Assert.True(_registry.Contains(100, b)); // still in the registry, and in 'vxsnd fdb'

        // The address leaves the node: the entry is replicated to again, without waiting for a refresh.
        _registry.Own = OwnAddressSet.From([], [(IPAddress.Parse("192.0.2.6"), 24, null)], false);
        Assert.Equal(new[] { 100u }, _registry.PublishChanges().ToArray());
        Assert.True(_table.TryGet(100, out var back));
        Assert.Equal(2, back.Addresses.Length);
    }

    [Fact]
    public void Own_UnrelatedChange_RepublishesNothing()
    {
        Assert.True(_registry.Apply(Reg(A)).Succeeded);
        _registry.PublishChanges();

        _registry.Own = OwnAddressSet.From([], [(IPAddress.Parse("203.0.113.9"), 32, null)], false);

        Assert.Empty(_registry.PublishChanges());
    }
}
