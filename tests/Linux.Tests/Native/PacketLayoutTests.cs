using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Replicator.Linux.Native;

namespace Replicator.Linux.Tests.Native;

/// <summary>
/// The packet-socket declarations (sockaddr_ll, SOL_PACKET, PACKET_QDISC_BYPASS, ETH_*) against the system
/// headers: a generated C program static_asserts each size, offset and value, as <see cref="CompilerLayoutTests"/> does.
/// </summary>
public class PacketLayoutTests
{
    [Fact]
    public void SockaddrLl_Is20BytesLp64() => Assert.Equal(20, Marshal.SizeOf<sockaddr_ll>());

    [Fact]
    public void PacketDeclarations_MatchSystemHeaders()
    {
        var c = new StringBuilder();
        c.AppendLine("#include <stddef.h>").AppendLine("#include <sys/socket.h>").AppendLine("#include <linux/if_packet.h>").AppendLine("#include <linux/if_ether.h>");
        c.AppendLine($"_Static_assert(sizeof(struct sockaddr_ll) == {Marshal.SizeOf<sockaddr_ll>()}, \"sizeof\");");
        foreach (var field in typeof(sockaddr_ll).GetFields())
        {
            c.AppendLine($"_Static_assert(offsetof(struct sockaddr_ll, {field.Name}) == {Marshal.OffsetOf<sockaddr_ll>(field.Name)}, \"{field.Name}\");");
        }
        foreach (var (name, value) in new (string, long)[]
        {
            ("AF_PACKET", LibC.AF_PACKET), ("SOL_PACKET", LibC.SOL_PACKET), ("PACKET_QDISC_BYPASS", LibC.PACKET_QDISC_BYPASS),
            ("ETH_ALEN", LibC.ETH_ALEN), ("ETH_HLEN", LibC.ETH_HLEN), ("ETH_P_IP", LibC.ETH_P_IP), ("ETH_P_IPV6", LibC.ETH_P_IPV6),
        })
        {
            c.AppendLine($"_Static_assert({name} == {value}, \"{name}\");");
        }
        string path = Path.Combine(Path.GetTempPath(), $"replicator-packet-layout-{Guid.NewGuid():N}.c");
        File.WriteAllText(path, c.ToString());
        try
        {
            var start = new ProcessStartInfo("gcc", ["-fsyntax-only", "-std=c11", path]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using Process gcc = Process.Start(start)!;
            string errors = gcc.StandardError.ReadToEnd();
            gcc.StandardOutput.ReadToEnd();
            Assert.True(gcc.WaitForExit(TimeSpan.FromMinutes(2)), "gcc did not finish");
            Assert.True(gcc.ExitCode == 0, $"gcc refused the packet declarations:\n{errors}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
