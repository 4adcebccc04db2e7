using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests;

[CollectionDefinition(KernelCollection.Name, DisableParallelization = true)]
public class KernelCollectionDefinition;
