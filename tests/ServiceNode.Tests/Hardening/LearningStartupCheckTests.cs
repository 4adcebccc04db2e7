using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Hardening;

public sealed class LearningStartupCheckTests
{
    private static LearningStartupCheck Check(bool acceptUnregistered, bool allowUnauthenticated)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceNode:DataPlane:AcceptUnregistered"] = acceptUnregistered ? "true" : "false",
            ["ServiceNode:AllowUnauthenticated"] = allowUnauthenticated ? "true" : "false",
        }).Build();
        return new LearningStartupCheck(new StartupOptions<ReplicationOptions>(configuration, ReplicationOptions.SectionName, []),
            new ReloadableOptions<HardeningOptions>(configuration, "ServiceNode", [], NullLogger<ReloadableOptions<HardeningOptions>>.Instance));
    }

    [Fact]
    public void Check_AcceptUnregisteredWithKeysOnly_RefusedNamingBothKeys()
    {
        var line = Assert.Single(Check(acceptUnregistered: true, allowUnauthenticated: false).Check());
        Assert.StartsWith("ServiceNode:DataPlane:AcceptUnregistered = 'true'", line);
        Assert.Contains("ServiceNode:AllowUnauthenticated", line);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void Check_OtherCombinations_Pass(bool acceptUnregistered, bool allowUnauthenticated) =>
        Assert.Empty(Check(acceptUnregistered, allowUnauthenticated).Check());
}
