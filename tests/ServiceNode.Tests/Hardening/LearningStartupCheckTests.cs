using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Authentication;
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
        }).Build();
        return new LearningStartupCheck(new StartupOptions<ReplicationOptions>(configuration, ReplicationOptions.SectionName, []),
            new ControlAuthenticationSettings(null, TimeSpan.FromSeconds(30), 1024, TimeSpan.FromSeconds(10),
                "ServiceNode:Authentication:KeyFile", allowUnauthenticated));
    }

    [Fact]
    public void Check_AcceptUnregisteredWithKeysOnly_RefusedNamingBothKeys()
    {
        var line = Assert.Single(Check(acceptUnregistered: true, allowUnauthenticated: false).Check());
        Assert.StartsWith("ServiceNode:DataPlane:AcceptUnregistered = 'true'", line);
        Assert.Contains("ServiceNode:Authentication:AllowUnauthenticated = true", line);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void Check_OtherCombinations_Pass(bool acceptUnregistered, bool allowUnauthenticated) =>
        Assert.Empty(Check(acceptUnregistered, allowUnauthenticated).Check());
}
