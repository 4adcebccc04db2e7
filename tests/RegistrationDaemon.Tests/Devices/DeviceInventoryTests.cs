using System.Net;
using Replicator.Linux.Links;
using Replicator.RegistrationDaemon.Devices;
using static Replicator.RegistrationDaemon.Tests.Fakes.CoreHarness;

namespace Replicator.RegistrationDaemon.Tests.Devices;

public sealed class DeviceInventoryTests
{
    private const string Local = "192.0.2.1";

    // The expected reason travels by name: IgnoreReason is internal to vxrd, and xunit's theory methods are public.
    public static TheoryData<LinkInfo, string> Links => new()
    {
        { Vxlan(2, 100, Local), nameof(IgnoreReason.None) },
        { Vxlan(2, 100, "2001:db8::1"), nameof(IgnoreReason.None) },
        { Link(2, "eth0", kind: null), nameof(IgnoreReason.NotVxlan) },
        { Link(2, "vxlan100", "bridge"), nameof(IgnoreReason.NotVxlan) },
        { Vxlan(2, 100, Local, name: "other100"), nameof(IgnoreReason.NotInDevices) },
        // Not in Devices outranks everything but the kind: a device vxrd must not touch is not explained further.
        { Link(2, "other", LinkInfo.VxlanKind), nameof(IgnoreReason.NotInDevices) },
        { Link(2, "vxlan1", LinkInfo.VxlanKind, vxlan: new VxlanAttributes { Vni = 0, Local = IPAddress.Parse(Local), CollectMetadata = true }), nameof(IgnoreReason.NoVni) },
        // Kind "vxlan" without VXLAN attributes (none sent, or unparsable): no VNI either.
        { Link(2, "vxlan1", LinkInfo.VxlanKind), nameof(IgnoreReason.NoVni) },
        // No VNI outranks down: an external device that is down still says why it will never be managed.
        { Link(2, "vxlan1", LinkInfo.VxlanKind, up: false), nameof(IgnoreReason.NoVni) },
        { Vxlan(2, 100, Local, up: false), nameof(IgnoreReason.Down) },
        { Link(2, "vxlan100", LinkInfo.VxlanKind, vxlan: new VxlanAttributes { Vni = 100 }), nameof(IgnoreReason.NoLocalAddress) },
        { Vxlan(2, 100, "0.0.0.0"), nameof(IgnoreReason.NoLocalAddress) },
        { Vxlan(2, 100, "::"), nameof(IgnoreReason.NoLocalAddress) },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public void Classify_KernelLink_GivesTheReason(LinkInfo link, string expected)
    {
        var inventory = new DeviceInventory(new DeviceFilter(["vxlan*"]));
        Assert.Equal(Enum.Parse<IgnoreReason>(expected), inventory.Classify(link));
    }

    [Fact]
    public void Classify_OperationallyDownButAdminUp_IsDown()
    {
        var inventory = new DeviceInventory(new DeviceFilter([]));
        var link = Vxlan(2, 100, Local) with { OperState = LinkOperState.LowerLayerDown };
        Assert.Equal(IgnoreReason.Down, inventory.Classify(link));
    }

    [Fact]
    public void Apply_WatcherEvents_TracksManagedDevices()
    {
        var inventory = new DeviceInventory(new DeviceFilter([]));
        var resync = inventory.Apply(LinkEvent.Resync(LinkResyncReason.Initial, [Vxlan(2, 100, Local), Vxlan(3, 200, Local, up: false)]));
        Assert.Equal([new ManagedDevice(2, "vxlan100", 100, IPAddress.Parse(Local))], resync.Added);

        var up = inventory.Apply(LinkEvent.Changed(Vxlan(3, 200, Local), previous: null));
        Assert.Equal([3], up.Added.Select(d => d.IfIndex));

        var removed = inventory.Apply(LinkEvent.Removed(Vxlan(2, 100, Local), previous: null));
        Assert.Equal([2], removed.Removed.Select(d => d.IfIndex));
        Assert.Equal([3], inventory.Managed.Select(d => d.IfIndex));

        var again = inventory.Apply(LinkEvent.Resync(LinkResyncReason.NotificationsLost, [Vxlan(3, 200, Local)]));
        Assert.True(again.IsEmpty);
        Assert.Equal([3], inventory.Links.Select(l => l.Index));
    }
}
