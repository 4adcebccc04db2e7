namespace Replicator.TestSupport;

/// <summary>
/// Kernel tests share one xunit collection so they run one at a time: the machines have two
/// cores, and convergence timings need them. Each test project declares a
/// <c>[CollectionDefinition(KernelCollection.Name, DisableParallelization = true)]</c> class.
/// </summary>
public static class KernelCollection
{
    public const string Name = "Kernel";
}
