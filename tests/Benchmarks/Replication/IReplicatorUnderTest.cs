namespace Replicator.Benchmarks.Replication;

/// <summary>One running replicator in the benchmark's namespace, pinned to its CPUs; disposing stops it.</summary>
internal interface IReplicatorUnderTest : IDisposable
{
    /// <summary>CPU time its replicating threads have used so far (user + system), in nanoseconds.</summary>
    long CpuNanoseconds();

    /// <summary>Datagrams each worker received so far (vxsnd), or null when it does not say.</summary>
    long[]? DatagramsPerWorker();

    /// <summary>Managed bytes allocated per datagram can be measured (in-process workers only).</summary>
    bool InProcess { get; }
}
