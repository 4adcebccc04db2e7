using System.Diagnostics.Metrics;
using Replicator.Hosting.Addressing;

namespace Replicator.ServiceNode.Registry;

/// <summary>The registry's instruments: observable gauges reading the loop's published <see cref="RegistryCounts"/>.</summary>
internal sealed class RegistryMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Registry";

    private static readonly EntrySource[] Sources = [EntrySource.Registered, EntrySource.Relayed, EntrySource.Learned, EntrySource.Static, EntrySource.Evpn];
    private static readonly KeyValuePair<string, object?>[] SourceTags =
        [new("source", "registered"), new("source", "relayed"), new("source", "learned"), new("source", "static"), new("source", "evpn")];

    private volatile RegistryCounts _counts = RegistryCounts.Empty;

    public RegistryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("vxsnd.registry.entries", ObserveEntries, "{entry}", "Registry entries (VNI, address), by source.");
        meter.CreateObservableGauge("vxsnd.registry.vnis", () => _counts.Vnis, "{vni}", "VNIs with at least one entry.");
        meter.CreateObservableCounter("vxsnd.registry.addresses.refused", ObserveRefused, "{address}",
            "Addresses the address policy refused, by reason (loopback, own, ...) and origin (registered, relayed, learned, static, evpn).");
    }

    public RegistryCounts Counts => _counts;

    /// <summary>Called by the loop after each batch.</summary>
    public void Update(RegistryCounts counts) => _counts = counts;

    private IEnumerable<Measurement<long>> ObserveRefused()
    {
        foreach (var ((origin, refusal), count) in _counts.AddressRefusals)
        {
            yield return new Measurement<long>(count,
                new KeyValuePair<string, object?>("reason", AddressPolicy.Tag(refusal)),
                SourceTags[Array.IndexOf(Sources, origin)] is var tag ? new KeyValuePair<string, object?>("origin", tag.Value) : default);
        }
    }

    private IEnumerable<Measurement<long>> ObserveEntries()
    {
        var counts = _counts;
        for (int i = 0; i < Sources.Length; i++) yield return new Measurement<long>(counts.BySource(Sources[i]), SourceTags[i]);
    }
}
