using System.Globalization;
using System.Text.RegularExpressions;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Lab;

/// <summary>
/// The lab in service-node mode with vxsnd's packet transmit path (<c>ServiceNode:DataPlane:Transmit=Packet</c>,
/// through the environment): every check passes, routed underlay through the lab's router included, and the
/// service node that replicated after the failover sent its copies as prebuilt frames.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class LabPacketTransmitTests(ITestOutputHelper output)
{
    [KernelTheory]
    [InlineData("ipv4")]
    [InlineData("ipv6")]
    public void LabScript_SnrWithPacketTransmit_EveryCheckPassesOnThePacketPath(string underlay)
    {
        var lab = new LabScript();
        lab.ExtraEnvironment["ServiceNode__DataPlane__Transmit"] = "Packet";
        try
        {
            var result = lab.Run(TimeSpan.FromSeconds(240), "--no-build", "--mode", "snr", "--underlay", underlay, "--keep");
            output.WriteLine(result.Output);
            Assert.True(result.ExitCode == 0, $"lab failed (exit {result.ExitCode})");
            Assert.Contains("RESULT: PASS", result.Output);

            // sn1 was killed in the failover; sn2 replicated the broadcasts after it.
            string metrics = Shell.Check("ip", "netns", "exec", $"{lab.Prefix}-sn2", "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/9501 && printf 'GET /metrics HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3 && cat <&3");
            // Prebuilt frames leave through the TX rings (PacketRingFrames, default 1024) or, when a ring is full, by sendmmsg.
            long ring = Sample(metrics, "vxsnd_dataplane_copies_total", "path=\"packet_ring\"");
            long packet = Sample(metrics, "vxsnd_dataplane_copies_total", "path=\"packet\"") + ring;
            long raw = Sample(metrics, "vxsnd_dataplane_copies_total", "path=\"raw\"");
            output.WriteLine($"sn2: copies packet {packet} (through TX rings {ring}), raw {raw}");
            Assert.True(packet > 0, $"no copy on the packet path (raw {raw})");
        }
        finally
        {
            lab.Run(TimeSpan.FromSeconds(60), "down");
        }
    }

    private static long Sample(string metrics, string name, string label)
    {
        foreach (Match m in SampleLine().Matches(metrics))
        {
            if (m.Groups["name"].Value == name && m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
                return (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
