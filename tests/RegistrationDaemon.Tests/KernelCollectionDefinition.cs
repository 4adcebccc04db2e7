using Replicator.TestSupport;

namespace Replicator.RegistrationDaemon.Tests;

[CollectionDefinition(KernelCollection.Name, DisableParallelization = true)]
public class KernelCollectionDefinition;
