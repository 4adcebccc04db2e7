using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests;

[CollectionDefinition(KernelCollection.Name, DisableParallelization = true)]
public class KernelCollectionDefinition;
