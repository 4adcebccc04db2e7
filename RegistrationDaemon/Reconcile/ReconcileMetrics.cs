using System.Diagnostics.Metrics;

namespace Replicator.RegistrationDaemon.Reconcile;

/// <summary>Instruments of FDB reconciliation (meter <see cref="MeterName"/>).</summary>
internal sealed class ReconcileMetrics
{
    public const string MeterName = "Replicator.RegistrationDaemon.Reconcile";

    private static readonly KeyValuePair<string, object?> AddTag = new("operation", "add");
    private static readonly KeyValuePair<string, object?> DeleteTag = new("operation", "delete");
    private static readonly KeyValuePair<string, object?> OkTag = new("result", "ok");
    private static readonly KeyValuePair<string, object?> ErrorTag = new("result", "error");

    private readonly Counter<long> _operations;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _drift;

    public ReconcileMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _operations = meter.CreateCounter<long>("vxrd.fdb.operations", "{operation}", "FDB default-destination changes sent to the kernel, by operation and result.");
        _runs = meter.CreateCounter<long>("vxrd.reconcile.runs", "{run}", "Comparisons of one device's kernel entries with the desired ones.");
        _drift = meter.CreateCounter<long>("vxrd.drift.repaired", "{entry}", "Entries changed outside vxrd (added or removed by hand) that vxrd put back in order.");
    }

    public void Operation(bool add, bool ok)
    {
        if (_operations.Enabled) _operations.Add(1, add ? AddTag : DeleteTag, ok ? OkTag : ErrorTag);
    }

    public void Run() => _runs.Add(1);

    public void DriftRepaired(int entries)
    {
        if (entries > 0) _drift.Add(entries);
    }
}
