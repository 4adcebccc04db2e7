namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>What a churn run did.</summary>
public sealed record ChurnReport(
    long Joins, long Leaves, long Refreshes, long ControlDatagrams, long DataDatagrams, long PeerListsReceived, long SendErrors,
    int ModelEntries, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Joins} joins, {Leaves} leaves, {Refreshes} refreshes ({ControlDatagrams} control datagrams), {DataDatagrams} BUM datagrams, "
        + $"{PeerListsReceived} peer lists received, {SendErrors} send errors, {ModelEntries} entries expected, {Elapsed.TotalSeconds:F1} s";
}
