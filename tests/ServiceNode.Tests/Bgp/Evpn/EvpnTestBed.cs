using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Bgp;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

/// <summary>
/// A registry with the bridge around it, the way the daemon composes them, but with the loop run inline: every
/// posted work item runs at once, followed by what the loop does after a batch (publish, tell the exporter).
/// </summary>
internal sealed class EvpnTestBed : IRegistryWriter, IDisposable
{
    public static readonly BgpPeerId Reflector1 = new(new IPEndPoint(IPAddress.Parse("192.0.2.201"), 179));
    public static readonly BgpPeerId Reflector2 = new(new IPEndPoint(IPAddress.Parse("192.0.2.202"), 179));
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(180);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counters = [];

    /// <param name="speaker">The speaker the exporter drives; a <see cref="RecordingSpeaker"/> when null.</param>
    public EvpnTestBed(RegistryLimits? limits = null, EvpnOptions? options = null, uint localAs = 65000, IBgpSpeaker? speaker = null)
    {
        options ??= new EvpnOptions();
        Registry = new(limits ?? new RegistryLimits(100_000, 20_000, TimeSpan.FromSeconds(90)), Time, Table);
        Speaker = new RecordingSpeaker(localAs);
        var exportTo = speaker ?? Speaker;
        Assert.True(EvpnValueFormat.TryParse(options.RouteDistinguisher, true, out var rd, out _));
        Assert.True(EvpnValueFormat.TryParse(options.RouteTarget, false, out var rt, out _));
        Exporter = new EvpnExporter(exportTo, new EvpnRouteBuilder(rd, rt, localAs), (vni, vtep, holder) => Collisions++);
        Imports = new EvpnImportTable(new EvpnImportFilter(options.ImportRouteTargets, () => Speaker.LocalAs));
        Metrics = new EvpnMetrics(_services.GetRequiredService<IMeterFactory>());
        Metrics.Observe(() => Exporter.Count, () => Imports.RouteCount);
        Bridge = new EvpnBridge(Imports, () => this, Metrics, Time, options.GraceTime, options.Import, NullLogger<EvpnBridge>.Instance);

        _listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == EvpnMetrics.MeterName) l.EnableMeasurementEvents(i); };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) =>
        {
            string key = i.Name;
            foreach (var t in tags) key += $"{{{t.Key}={t.Value}}}";
            lock (_counters) _counters[key] = _counters.GetValueOrDefault(key) + value;
        });
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => { lock (_counters) _counters[i.Name] = value; });
        _listener.Start();
    }

    public FakeTimeProvider Time { get; } = new();

    public MemberTable Table { get; } = new();

    public ServiceNode.Registry.Registry Registry { get; }

    public RecordingSpeaker Speaker { get; }

    public EvpnExporter Exporter { get; }

    public EvpnImportTable Imports { get; }

    public EvpnMetrics Metrics { get; }

    public EvpnBridge Bridge { get; }

    public int Collisions { get; private set; }

    /// <summary>
    /// Runs <paramref name="work"/> as the loop would: then publishes and tells the exporter. One at a time, as on
    /// the loop, whichever thread calls (a real speaker calls the bridge from its own).
    /// </summary>
    public void Run(Action<ServiceNode.Registry.Registry> work)
    {
        lock (Registry)
        {
            work(Registry);
            Registry.PublishChanges();
            if (Registry.HasExportChanges) Exporter.OnExportsChanged(Registry);
        }
    }

    /// <summary>Reads the registry as a loop work item would.</summary>
    public T Read<T>(Func<ServiceNode.Registry.Registry, T> read)
    {
        lock (Registry) return read(Registry);
    }

    /// <summary>Starts the exporter as the bridge's hosted service does.</summary>
    public void StartExport() => Run(Exporter.Start);

    /// <summary>A counter's sum or a gauge's last value; 0 when never reported.</summary>
    public long Metric(string key)
    {
        _listener.RecordObservableInstruments();
        lock (_counters) return _counters.GetValueOrDefault(key);
    }

    public static VtepAddress Addr(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    public static Registration Register(string node, uint vni, params string[] addresses) =>
        new(node, TimeSpan.FromSeconds(90), false, ResponseWanted.None, [new VniRegistration(vni, [.. addresses.Select(Addr)])]);

    public static Registration Deregister(string node, uint vni, params string[] addresses) =>
        new(node, TimeSpan.Zero, false, ResponseWanted.None, [new VniRegistration(vni, [.. addresses.Select(Addr)])]);

    /// <summary>A type-3 route as FRR sends it for <paramref name="vtep"/>'s <paramref name="vni"/> (RD router-id:2, RT AS:VNI).</summary>
    public static EvpnMulticastRoute FrrRoute(string vtep, uint vni, uint asNumber = 65000, ushort rdIndex = 2)
    {
        var address = IPAddress.Parse(vtep);
        ulong rd = (1UL << 48) | ((ulong)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()) << 16) | rdIndex;
        ulong rt = (2UL << 48) | ((ulong)asNumber << 32) | vni;
        return new EvpnMulticastRoute(new EvpnMulticastRouteKey(rd, 0, address), vni, address, address, [rt]);
    }

    // IRegistryWriter, inline.
    public Task<T> InvokeAsync<T>(Func<ServiceNode.Registry.Registry, T> work, CancellationToken cancellationToken = default)
    {
        T result = default!;
        Run(r => result = work(r));
        return Task.FromResult(result);
    }

    public bool Post(Action<ServiceNode.Registry.Registry> work)
    {
        Run(work);
        return true;
    }

    public bool TryLearn(uint vni, ReadOnlySpan<byte> address, bool ipv6) => false;

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
