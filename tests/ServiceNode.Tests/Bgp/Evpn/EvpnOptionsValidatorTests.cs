using Replicator.ServiceNode.Bgp.Evpn;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

public sealed class EvpnOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new EvpnOptionsValidator().Validate(null, new EvpnOptions()).Succeeded);

    [Fact]
    public void Validate_EveryKeyWrong_ReportsEachByKey()
    {
        var result = new EvpnOptionsValidator().Validate(null, new EvpnOptions
        {
            RouteDistinguisher = "{vtep}:1",
            RouteTarget = "nope",
            ImportRouteTargets = ["*", "bad"],
            GraceTime = TimeSpan.FromSeconds(-1),
        });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Bgp:Evpn:RouteDistinguisher", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Bgp:Evpn:RouteTarget", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Bgp:Evpn:ImportRouteTargets:1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Bgp:Evpn:GraceTime", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoImportRouteTargets_Fails() =>
        Assert.True(new EvpnOptionsValidator().Validate(null, new EvpnOptions { ImportRouteTargets = [] }).Failed);
}
