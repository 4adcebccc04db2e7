using Replicator.TestSupport;

namespace Replicator.Hosting.Tests;

[CollectionDefinition(KernelCollection.Name, DisableParallelization = true)]
public class KernelCollectionDefinition;
