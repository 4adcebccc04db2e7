namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>How <see cref="FuzzDatagrams"/> made a datagram.</summary>
public enum FuzzStrategy
{
    Random,
    Unchanged,
    BitFlips,
    InterestingBytes,
    Truncated,
    Extended,
    Spliced,
    WideLength,
    HeaderThenGarbage,
}
