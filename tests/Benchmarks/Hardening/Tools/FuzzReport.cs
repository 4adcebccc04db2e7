namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>What a fuzz run sent.</summary>
public sealed record FuzzReport(long ControlSent, long DataSent, long SendErrors, TimeSpan Elapsed, IReadOnlyDictionary<FuzzStrategy, long> ByStrategy)
{
    public long Total => ControlSent + DataSent;

    public override string ToString() =>
        $"{Total} datagrams ({ControlSent} control, {DataSent} data, {SendErrors} send errors) in {Elapsed.TotalSeconds:F1} s; "
        + string.Join(", ", ByStrategy.Select(p => $"{p.Key} {p.Value}"));
}
