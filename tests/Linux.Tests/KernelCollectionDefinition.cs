using Replicator.TestSupport;

namespace Replicator.Linux.Tests;

[CollectionDefinition(KernelCollection.Name, DisableParallelization = true)]
public class KernelCollectionDefinition;
