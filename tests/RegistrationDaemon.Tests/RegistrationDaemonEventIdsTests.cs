using Replicator.Hosting.Logging;

namespace Replicator.RegistrationDaemon.Tests;

public sealed class RegistrationDaemonEventIdsTests
{
    [Fact]
    public void Check_RegistrationDaemonAssembly_EveryIdUniqueAndInItsBlock()
    {
        var assembly = typeof(RegistrationDaemonEventIds).Assembly;
        Assert.NotEmpty(EventIdRanges.LogMethods(assembly));
        Assert.Empty(EventIdRanges.Check(assembly));
    }
}
