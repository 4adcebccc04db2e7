using Replicator.EndToEnd.Tests.Lab;
using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// <c>deploy/lab/lab.sh --evpn</c> end to end in both replication modes: FRR and GoBGP route
/// reflectors, FRR VTEPs next to the vxrd VTEPs, every host pair across both worlds pinging, the
/// sessions and flood entries on every side, the failover, and a teardown that leaves nothing.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class EvpnLabScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(300);

    [BgpTheory]
    [InlineData("her")]
    [InlineData("snr")]
    public void LabScript_Evpn_EveryPairAcrossBothWorldsAndEveryCheckPass(string mode)
    {
        var lab = new LabScript();
        string[] args = ["--no-build", "--evpn", "--mode", mode];
        var result = lab.Run(RunTimeout, args);
        output.WriteLine($"$ LAB_PREFIX={lab.Prefix} deploy/lab/lab.sh {string.Join(' ', args)}  (exit {result.ExitCode})");
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"lab.sh {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("RESULT: PASS", result.Output);
        Assert.Contains("EVPN fabric (AS 65000;", result.Output);
        Assert.Contains("ok    evtep1 (FRR VTEP, VNI 100):", result.Output);
        Assert.Contains($"FAILOVER: PASS (mode {mode}:", result.Output);
        Assert.Empty(lab.Namespaces());
        Assert.False(Directory.Exists($"/var/run/frr/{lab.Prefix}-rrf"), "FRR's vty directory left behind");
    }

    [BgpFact]
    public void LabScript_EvpnOnIpv6Underlay_RefusedWithReason()
    {
        var result = new LabScript().Run(TimeSpan.FromSeconds(60), "--no-build", "--evpn", "--underlay", "ipv6");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--evpn needs --underlay ipv4", result.Output);
    }
}
