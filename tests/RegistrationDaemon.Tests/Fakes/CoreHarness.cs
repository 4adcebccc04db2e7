using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Linux.Links;
using Replicator.Linux.Netlink;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Tests.Fakes;

/// <summary>A <see cref="DaemonCore"/> over a fake FDB, a fake control channel and a fake clock.</summary>
internal sealed class CoreHarness : IDisposable
{
    public const string ServiceNode = "203.0.113.1";

    public CoreHarness(ReplicationMode mode = ReplicationMode.HeadEnd, TimeSpan? holdTime = null, int refreshRate = 3,
        TimeSpan? reconcileInterval = null, string[]? devices = null, string serviceNode = ServiceNode, int maxPeersPerVni = 4096)
    {
        Settings = new RuntimeSettings(mode, holdTime ?? TimeSpan.FromSeconds(90), refreshRate);
        Static = new StaticSettings(IPAddress.Parse(serviceNode), 10001, null, reconcileInterval ?? TimeSpan.FromSeconds(10), devices ?? [], "/tmp/x.sock", maxPeersPerVni);
        Core = new DaemonCore(Static, Settings, Fdb, Control, Time, new Random(7),
            new RegistrationMetrics(Meters, Time), new ReconcileMetrics(Meters), NullLogger<DaemonCore>.Instance);
    }

    public FakeTimeProvider Time { get; } = new();

    public FakeFdbTable Fdb { get; } = new();

    public FakeControlChannel Control { get; } = new();

    public TestMeters Meters { get; } = new();

    public RuntimeSettings Settings { get; }

    public StaticSettings Static { get; }

    public DaemonCore Core { get; }

    /// <summary>A VXLAN device as the kernel reports it: up (IFF_UP, oper state UNKNOWN) or down.</summary>
    public static LinkInfo Vxlan(int ifIndex, uint vni, string local, bool up = true, string? name = null) =>
        Link(ifIndex, name ?? $"vxlan{vni}", LinkInfo.VxlanKind, up, new VxlanAttributes { Vni = vni, Local = IPAddress.Parse(local), DestinationPort = 4789 });

    /// <summary>Any link as the kernel reports it; <paramref name="vxlan"/> only for kind "vxlan".</summary>
    public static LinkInfo Link(int ifIndex, string name, string? kind, bool up = true, VxlanAttributes? vxlan = null) => new()
    {
        Index = ifIndex,
        Name = name,
        Kind = kind,
        Flags = up ? Nl.IFF_UP : 0,
        OperState = up ? LinkOperState.Unknown : LinkOperState.Down,
        Vxlan = vxlan,
    };

    public void Links(params LinkInfo[] links) => Core.OnLinks(LinkEvent.Resync(LinkResyncReason.Initial, links));

    public void PeerList(uint vni, params string[] members) => PeerListFrom(ServiceNode, vni, members);

    public void PeerListFrom(string sender, uint vni, params string[] members) => PeerListFrom(sender, vni, 0, members);

    /// <summary>A peer list from the service node's address but another source port.</summary>
    public void PeerListFromPort(int port, uint vni, params string[] members) =>
        Core.OnPeerList(new PeerListUpdate(new IPEndPoint(IPAddress.Parse(ServiceNode), port), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [vni] = [.. members.Select(IPAddress.Parse)] }, 0));

    public void PeerListGeneration(uint generation, uint vni, params string[] members) => PeerListFrom(ServiceNode, vni, generation, members);

    /// <summary>A peer list from the service node's run <paramref name="instance"/> (PeerList key 8).</summary>
    public void PeerListInstance(uint instance, uint generation, uint vni, params string[] members) =>
        Core.OnPeerList(new PeerListUpdate(new IPEndPoint(IPAddress.Parse(ServiceNode), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [vni] = [.. members.Select(IPAddress.Parse)] }, generation)
        { Instance = instance });

    private void PeerListFrom(string sender, uint vni, uint generation, string[] members) =>
        Core.OnPeerList(new PeerListUpdate(new IPEndPoint(IPAddress.Parse(sender), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [vni] = [.. members.Select(IPAddress.Parse)] }, generation));

    /// <summary>Moves the clock and runs the timer work, as the loop would.</summary>
    public void Advance(TimeSpan by)
    {
        var end = Time.GetUtcNow() + by;
        for (int steps = 0; ; steps++)
        {
            if (steps > 10_000) throw new InvalidOperationException($"timer work never settles: NextDue {Core.NextDue} at {Time.GetUtcNow()}");
            var due = Core.NextDue;
            if (due > end) break;
            var now = Time.GetUtcNow();
            if (due > now) Time.Advance(due - now);
            Core.OnTimer();
        }
        var rest = end - Time.GetUtcNow();
        if (rest > TimeSpan.Zero) Time.Advance(rest);
        Core.OnTimer();
    }

    public void Dispose() => Meters.Dispose();
}
