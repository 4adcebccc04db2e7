using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Registry;

/// <summary>The registry's instruments: observable gauges reading the loop's published <see cref="RegistryCounts"/>.</summary>
public sealed class RegistryMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Registry";

    private static readonly EntrySource[] Sources = [EntrySource.Registered, EntrySource.Relayed, EntrySource.Learned, EntrySource.Static];
    private static readonly KeyValuePair<string, object?>[] SourceTags =
        [new("source", "registered"), new("source", "relayed"), new("source", "learned"), new("source", "static")];

    private volatile RegistryCounts _counts = RegistryCounts.Empty;

    public RegistryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("vxsnd.registry.entries", ObserveEntries, "{entry}", "Registry entries (VNI, address), by source.");
        meter.CreateObservableGauge("vxsnd.registry.vnis", () => _counts.Vnis, "{vni}", "VNIs with at least one entry.");
    }

    public RegistryCounts Counts => _counts;

    /// <summary>Called by the loop after each batch.</summary>
    public void Update(RegistryCounts counts) => _counts = counts;

    private IEnumerable<Measurement<long>> ObserveEntries()
    {
        var counts = _counts;
        for (int i = 0; i < Sources.Length; i++) yield return new Measurement<long>(counts.BySource(Sources[i]), SourceTags[i]);
    }
}
