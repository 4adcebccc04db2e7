using Replicator.Linux.Links;
using Replicator.Linux.Native;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;
using static Replicator.RegistrationDaemon.Tests.Fakes.CoreHarness;

namespace Replicator.RegistrationDaemon.Tests.Daemon;

public sealed class DaemonCoreTests
{
    private const string A = "198.51.100.1", B = "198.51.100.2", C = "198.51.100.3";

    [Fact]
    public void OnPeerList_HeadEnd_ProgramsEveryOtherMember()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B, C);
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnLinks_HeadEndBeforeFirstPeerList_AdoptsExistingEntries()
    {
        using var h = new CoreHarness();
        h.Fdb.Seed(10, B, "192.0.2.99");
        h.Links(Vxlan(10, 100, A));
        h.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(["192.0.2.99", B], h.Fdb.EntryStrings(10));
        Assert.Empty(h.Fdb.Operations);
        h.Core.Publish();
        Assert.Equal(["192.0.2.99", B], h.Core.Snapshot.Devices.Single().Destinations);
    }

    [Fact]
    public void OnPeerList_AfterAdoption_RemovesStaleAndAddsMissing()
    {
        using var h = new CoreHarness();
        h.Fdb.Seed(10, B, "192.0.2.99");
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B, C);
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(["add 10 198.51.100.3", "del 10 192.0.2.99"], h.Fdb.Operations);
    }

    [Fact]
    public void OnLinks_ServiceNodeMode_ProgramsOnlyTheServiceNode()
    {
        using var h = new CoreHarness(ReplicationMode.ServiceNode);
        h.Fdb.Seed(10, B);
        h.Links(Vxlan(10, 100, A));
        Assert.Equal([ServiceNode], h.Fdb.EntryStrings(10));
        h.PeerList(100, A, B, C);
        Assert.Equal([ServiceNode], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnSettings_ModeChangeAndBack_MovesEntriesBetweenTargetSets()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B, C);
        h.Core.OnSettings(h.Settings with { Mode = ReplicationMode.ServiceNode });
        Assert.Equal([ServiceNode], h.Fdb.EntryStrings(10));
        h.Core.OnSettings(h.Settings with { Mode = ReplicationMode.HeadEnd });
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnTimer_EntryRemovedByHand_RestoredWithinReconcileIntervalAndCountedAsDrift()
    {
        using var h = new CoreHarness(reconcileInterval: TimeSpan.FromSeconds(5));
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B, C);
        h.Fdb.RemoveByHand(10, B);
        h.Fdb.Seed(10, "192.0.2.50");
        h.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(2, h.Meters.Total("vxrd.drift.repaired"));
        Assert.True(h.Meters.Total("vxrd.reconcile.runs") >= 2);
    }

    [Fact]
    public void OnPeerList_MembershipChange_IsNotCountedAsDrift()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B);
        h.PeerList(100, A, B, C);
        h.PeerList(100, A, C);
        Assert.Equal([C], h.Fdb.EntryStrings(10));
        Assert.Equal(0, h.Meters.Total("vxrd.drift.repaired"));
        Assert.Equal(2, h.Meters.Total("vxrd.fdb.operations", "operation=add,result=ok"));
        Assert.Equal(1, h.Meters.Total("vxrd.fdb.operations", "operation=delete,result=ok"));
    }

    [Fact]
    public void OnTimer_ServiceNodeSilent_KeepsEntriesAndReportsUnreachable()
    {
        using var h = new CoreHarness(holdTime: TimeSpan.FromSeconds(9), refreshRate: 3);
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B, C);
        Assert.Equal(ServiceNodeState.Reachable, h.Core.ServiceNodeState);
        h.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(ServiceNodeState.Unreachable, h.Core.ServiceNodeState);
        h.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        h.Core.Publish();
        Assert.False(h.Core.Snapshot.Reachable);
        Assert.Equal("Unreachable", h.Core.Snapshot.ServiceNodeState);
        Assert.Equal(0, h.Meters.Gauge("vxrd.servicenode.reachable"));
        Assert.True(h.Meters.Gauge("vxrd.servicenode.contact.age") >= 600);
    }

    [Fact]
    public void OnPeerList_ServiceNodeRestarted_OnlyAddsUntilOneRefreshIntervalPassed()
    {
        using var h = new CoreHarness(holdTime: TimeSpan.FromSeconds(30), refreshRate: 3, reconcileInterval: TimeSpan.FromSeconds(60));
        h.Links(Vxlan(10, 100, A));
        h.PeerListGeneration(500, 100, A, B, C);
        // Generation went backwards: the service node restarted and only knows A and a newcomer so far.
        h.PeerListGeneration(2, 100, A, "198.51.100.4");
        Assert.Equal([B, C, "198.51.100.4"], h.Fdb.EntryStrings(10));
        Assert.True(h.Core.Relearning);
        h.PeerListGeneration(3, 100, A, B, "198.51.100.4");
        h.Advance(TimeSpan.FromSeconds(10.5));
        Assert.Equal([B, C, "198.51.100.4"], h.Fdb.EntryStrings(10));
        h.Advance(TimeSpan.FromSeconds(1));
        Assert.False(h.Core.Relearning);
        Assert.Equal([B, "198.51.100.4"], h.Fdb.EntryStrings(10));
        Assert.Equal(0, h.Meters.Total("vxrd.drift.repaired"));
    }

    [Fact]
    public void OnPeerList_SameInstanceOlderGeneration_RemovesAtOnce()
    {
        // A kept full list repeated under its first message generation (PROTOCOL.md 5.3): not a restart.
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerListInstance(0xCAFE, 500, 100, A, B, C);
        h.PeerListInstance(0xCAFE, 3, 100, A, B);
        Assert.False(h.Core.Relearning);
        Assert.Equal([B], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnPeerList_InstanceChanged_OnlyAddsUntilOneRefreshIntervalPassed()
    {
        using var h = new CoreHarness(holdTime: TimeSpan.FromSeconds(30), refreshRate: 3, reconcileInterval: TimeSpan.FromSeconds(60));
        h.Links(Vxlan(10, 100, A));
        h.PeerListInstance(0xCAFE, 2, 100, A, B, C);
        // A higher generation, but another run: it only knows A and a newcomer so far.
        h.PeerListInstance(0xBEEF, 900, 100, A, "198.51.100.4");
        Assert.True(h.Core.Relearning);
        Assert.Equal([B, C, "198.51.100.4"], h.Fdb.EntryStrings(10));
        h.Advance(TimeSpan.FromSeconds(11.5));
        Assert.False(h.Core.Relearning);
        Assert.Equal(["198.51.100.4"], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnPeerList_InstanceThenNone_TakenForAnotherNode()
    {
        // An older service node of the cluster (no key 8) answering after a newer one is another node.
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerListInstance(0xCAFE, 2, 100, A, B, C);
        h.PeerListGeneration(3, 100, A, B);
        Assert.True(h.Core.Relearning);
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnPeerList_GenerationGrows_RemovesAtOnce()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerListGeneration(7, 100, A, B, C);
        h.PeerListGeneration(8, 100, A, B);
        Assert.Equal([B], h.Fdb.EntryStrings(10));
        Assert.False(h.Core.Relearning);
    }

    [Fact]
    public void OnPeerList_FromAnotherSender_IsDroppedAndCounted()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerListFrom("192.0.2.66", 100, A, "192.0.2.67");
        Assert.Empty(h.Fdb.EntryStrings(10));
        Assert.Equal(1, h.Meters.Total("vxrd.control.dropped", "reason=bad_sender"));
        Assert.Equal(0, h.Meters.Total("vxrd.peerlists.received"));
        Assert.NotEqual(ServiceNodeState.Reachable, h.Core.ServiceNodeState);
    }

    [Fact]
    public void OnPeerList_FromServiceNodeAddressOtherPort_IsDroppedAndCounted()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B);
        h.PeerListFromPort(10002, 100, A, "192.0.2.66");
        Assert.Equal([B], h.Fdb.EntryStrings(10));
        Assert.Equal(1, h.Meters.Total("vxrd.control.dropped", "reason=bad_port"));
        Assert.Equal(1, h.Meters.Total("vxrd.peerlists.received"));
    }

    [Fact]
    public void OnPeerList_UnusableAddresses_LeftOutCountedByReason()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A), Vxlan(20, 200, "2001:db8::1"));
        string[] bogus = ["0.0.0.0", "127.0.0.1", "169.254.1.1", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255",
            "::", "::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1"];
        h.PeerList(100, [A, B, "::ffff:198.51.100.3", .. bogus]);
        h.PeerList(200, ["2001:db8::1", "2001:db8::2", .. bogus]);
        h.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(["2001:db8::2"], h.Fdb.EntryStrings(20));
        Assert.Equal(2 * bogus.Length, h.Meters.Total("vxrd.peers.refused"));
        Assert.Equal(6, h.Meters.Total("vxrd.peers.refused", "reason=loopback"));
        Assert.Equal(6, h.Meters.Total("vxrd.peers.refused", "reason=multicast"));
        Assert.Equal(4, h.Meters.Total("vxrd.peers.refused", "reason=link_local"));
        Assert.Equal(4, h.Meters.Total("vxrd.peers.refused", "reason=unspecified"));
        Assert.Equal(2, h.Meters.Total("vxrd.peers.refused", "reason=broadcast"));
        Assert.Equal(2, h.Meters.Total("vxrd.peers.refused", "reason=reserved"));
        h.Core.Publish();
        Assert.DoesNotContain(h.Core.Snapshot.Peers, p => bogus.Contains(p.Address));
    }

    [Fact]
    public void OnPeerList_OverMaxPeersPerVni_RefusedForThatVniPreviousMembersKept()
    {
        using var h = new CoreHarness(maxPeersPerVni: 2);
        h.Links(Vxlan(10, 100, A), Vxlan(20, 200, "2001:db8::1"));
        h.PeerList(100, A, B);
        // Two peers besides ourselves: at the cap, accepted (the VTEP itself does not count).
        h.PeerList(100, A, B, C);
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        h.PeerList(100, A, B, C, "198.51.100.4");
        h.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(1, h.Meters.Total("vxrd.peerlists.refused", "reason=max_peers_per_vni"));
        // Another VNI in the same list is judged on its own.
        h.Core.OnPeerList(new PeerListUpdate(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(ServiceNode), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<System.Net.IPAddress>>
            {
                [100] = [.. new[] { A, B, C, "198.51.100.4", "198.51.100.5" }.Select(System.Net.IPAddress.Parse)],
                [200] = [System.Net.IPAddress.Parse("2001:db8::2")],
            }));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(["2001:db8::2"], h.Fdb.EntryStrings(20));
        Assert.Equal(2, h.Meters.Total("vxrd.peerlists.refused", "reason=max_peers_per_vni"));
    }

    [Fact]
    public void OnTimer_AfterProgrammingALargeList_NoDriftAndNoOperations()
    {
        using var h = new CoreHarness(reconcileInterval: TimeSpan.FromSeconds(1));
        h.Links(Vxlan(10, 100, "2001:db8::1"));
        var members = Enumerable.Range(2, 2000).Select(i => $"2001:db8::{i:x}").ToArray();
        h.PeerList(100, ["2001:db8::1", .. members]);
        Assert.Equal(2000, h.Fdb.Entries(10).Count);
        int operations = h.Fdb.Operations.Count;
        h.Core.Publish();
        var views = h.Core.Snapshot.Peers;
        h.Advance(TimeSpan.FromSeconds(5));
        h.Core.Publish();
        Assert.Equal(operations, h.Fdb.Operations.Count);
        Assert.Equal(0, h.Meters.Total("vxrd.drift.repaired"));
        Assert.Same(views, h.Core.Snapshot.Peers); // nothing changed: the views were not rebuilt
    }

    [Fact]
    public void OnTimer_DumpMissesEntriesJustProgrammed_NeverCountedAsDrift()
    {
        using var h = new CoreHarness(reconcileInterval: TimeSpan.FromSeconds(1));
        h.Links(Vxlan(10, 100, A));
        h.Fdb.HiddenFromDump.Add(System.Net.IPAddress.Parse(B));
        h.PeerList(100, A, B, C);
        h.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(0, h.Meters.Total("vxrd.drift.repaired"));
        // Once the kernel shows what it holds, a later removal by hand is drift again.
        h.Fdb.HiddenFromDump.Clear();
        h.Advance(TimeSpan.FromSeconds(2));
        h.Fdb.RemoveByHand(10, C);
        h.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(1, h.Meters.Total("vxrd.drift.repaired"));
    }

    [Fact]
    public void Flush_ManagedDevices_DeletesOnlyTheirEntriesAndPausesProgramming()
    {
        using var h = new CoreHarness();
        h.Fdb.Seed(20, "192.0.2.7");
        h.Links(Vxlan(10, 100, A), Vxlan(20, 200, A, up: false), Link(30, "eth0", kind: null));
        h.PeerList(100, A, B, C);
        Assert.Equal(2, h.Core.Flush());
        Assert.Empty(h.Fdb.EntryStrings(10));
        Assert.Equal(["192.0.2.7"], h.Fdb.EntryStrings(20));
        h.Advance(TimeSpan.FromSeconds(30));
        h.PeerList(100, A, B);
        Assert.Empty(h.Fdb.EntryStrings(10));
        h.Core.Publish();
        Assert.True(h.Core.Snapshot.ProgrammingPaused);
    }

    [Fact]
    public void OnLinks_UnmanagedDevices_AreNeverTouched()
    {
        using var h = new CoreHarness(ReplicationMode.ServiceNode, devices: ["vxlan1*"]);
        h.Fdb.Seed(20, B);
        h.Fdb.Seed(30, C);
        h.Links(Vxlan(10, 100, A), Vxlan(20, 200, A, up: false), Vxlan(30, 300, A, name: "other300"));
        h.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal([ServiceNode], h.Fdb.EntryStrings(10));
        Assert.Equal([B], h.Fdb.EntryStrings(20));
        Assert.Equal([C], h.Fdb.EntryStrings(30));
        Assert.DoesNotContain(h.Fdb.Operations, o => !o.Contains(" 10 "));
    }

    [Fact]
    public void OnLinks_DeviceGoesDown_WithdrawsAndLeavesEntries()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        h.PeerList(100, A, B);
        h.Core.OnLinks(LinkEvent.Changed(Vxlan(10, 100, A, up: false), previous: null));
        Assert.True(h.Control.Last.IsWithdrawal);
        Assert.Equal([new VniAddress(100, System.Net.IPAddress.Parse(A))], h.Control.Last.Entries);
        Assert.Equal([B], h.Fdb.EntryStrings(10));
        h.Core.Publish();
        Assert.Equal("down", h.Core.Snapshot.Devices.Single().Reason);
        Assert.Empty(h.Core.Snapshot.Peers);
    }

    [Fact]
    public void Shutdown_WithdrawsEverythingAndLeavesEntries()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A), Vxlan(11, 200, A));
        h.PeerList(100, A, B);
        h.Core.Shutdown();
        Assert.True(h.Control.Last.IsWithdrawal);
        Assert.Equal(2, h.Control.Last.Entries.Count);
        Assert.Equal([B], h.Fdb.EntryStrings(10));
    }

    [Fact]
    public void OnPeerList_MixedFamilies_ProgramsOnlyTheDevicesFamily()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A), Vxlan(11, 100, "2001:db8::1", name: "vxlan100v6"));
        h.PeerList(100, A, B, "2001:db8::1", "2001:db8::2");
        Assert.Equal([B], h.Fdb.EntryStrings(10));
        Assert.Equal(["2001:db8::2"], h.Fdb.EntryStrings(11));
    }

    [Fact]
    public void OnTimer_FailedAdd_CountedAsErrorAndRetriedAtNextInterval()
    {
        using var h = new CoreHarness(reconcileInterval: TimeSpan.FromSeconds(5));
        h.Links(Vxlan(10, 100, A));
        h.Fdb.FailOn = (System.Net.IPAddress.Parse(C), Errno.ENOBUFS);
        h.PeerList(100, A, B, C);
        Assert.Equal([B], h.Fdb.EntryStrings(10));
        Assert.Equal(1, h.Meters.Total("vxrd.fdb.operations", "operation=add,result=error"));
        h.Fdb.FailOn = null;
        h.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([B, C], h.Fdb.EntryStrings(10));
        Assert.Equal(0, h.Meters.Total("vxrd.drift.repaired"));
    }

    [Fact]
    public void OnLinks_ResyncSnapshotWithoutDevice_WithdrawsIt()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A), Vxlan(11, 200, A));
        h.Links(Vxlan(10, 100, A));
        Assert.True(h.Control.Last.IsWithdrawal);
        Assert.Equal(200u, h.Control.Last.Entries.Single().Vni);
        Assert.Equal(1, h.Meters.Gauge("vxrd.devices.managed"));
    }

    [Fact]
    public void Publish_Snapshot_ExplainsEveryLink()
    {
        using var h = new CoreHarness(devices: ["vxlan1*", "vxlan2*", "vxlan3*"]);
        h.Links(Vxlan(10, 100, A), Vxlan(11, 200, A, up: false), Link(12, "vxlan300", LinkInfo.VxlanKind, vxlan: new VxlanAttributes { Vni = 300 }),
            Link(13, "eth0", kind: null), Vxlan(14, 400, A, name: "vx400"),
            Link(15, "vxlan1ext", LinkInfo.VxlanKind, vxlan: new VxlanAttributes { Vni = 0, Local = System.Net.IPAddress.Parse(A), CollectMetadata = true }),
            Link(16, "vxlan1bare", LinkInfo.VxlanKind));
        h.PeerList(100, A, B);
        h.Core.Publish();
        var reasons = h.Core.Snapshot.Devices.ToDictionary(d => d.Name, d => d.Reason);
        Assert.Equal("managed", reasons["vxlan100"]);
        Assert.Equal("down", reasons["vxlan200"]);
        Assert.Equal("no local address", reasons["vxlan300"]);
        Assert.Equal("not vxlan", reasons["eth0"]);
        Assert.Equal("not in Devices", reasons["vx400"]);
        Assert.Equal("no VNI (external mode)", reasons["vxlan1ext"]);
        Assert.Equal("no VNI (external mode)", reasons["vxlan1bare"]);
        Assert.Equal([new PeerView(100, A, true, false), new PeerView(100, B, false, true)], h.Core.Snapshot.Peers);
        Assert.Equal(1, h.Core.Snapshot.ManagedDevices);
    }
}
