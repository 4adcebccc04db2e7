using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Replicator.Linux.Native;

namespace Replicator.Linux.Tests.Native;

/// <summary>
/// The packet-socket declarations (sockaddr_ll, tpacket2_hdr, tpacket_req, SOL_PACKET, PACKET_*, TP_STATUS_*, ETH_*, mmap's PROT_*/MAP_SHARED) against the system
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
        c.AppendLine("#include <stddef.h>").AppendLine("#include <sys/socket.h>").AppendLine("#include <sys/mman.h>").AppendLine("#include <linux/if_packet.h>").AppendLine("#include <linux/if_ether.h>");
        c.AppendLine($"_Static_assert(sizeof(struct sockaddr_ll) == {Marshal.SizeOf<sockaddr_ll>()}, \"sizeof\");");
        foreach (var type in new[] { typeof(sockaddr_ll), typeof(tpacket2_hdr), typeof(tpacket_req) })
        {
            c.AppendLine($"_Static_assert(sizeof(struct {type.Name}) == {Marshal.SizeOf(type)}, \"sizeof {type.Name}\");");
            foreach (var field in type.GetFields())
            {
                c.AppendLine($"_Static_assert(offsetof(struct {type.Name}, {field.Name}) == {Marshal.OffsetOf(type, field.Name)}, \"{type.Name}.{field.Name}\");");
            }
        }
        foreach (var (name, value) in new (string, long)[]
        {
            ("AF_PACKET", LibC.AF_PACKET), ("SOL_PACKET", LibC.SOL_PACKET), ("PACKET_QDISC_BYPASS", LibC.PACKET_QDISC_BYPASS),
            ("ETH_ALEN", LibC.ETH_ALEN), ("ETH_HLEN", LibC.ETH_HLEN), ("ETH_P_IP", LibC.ETH_P_IP), ("ETH_P_IPV6", LibC.ETH_P_IPV6),
            ("PACKET_VERSION", LibC.PACKET_VERSION), ("PACKET_TX_RING", LibC.PACKET_TX_RING), ("PACKET_LOSS", LibC.PACKET_LOSS), ("TPACKET_V2", LibC.TPACKET_V2),
            ("TPACKET_ALIGNMENT", LibC.TPACKET_ALIGNMENT), ("TPACKET2_HDRLEN", LibC.TPACKET2_HDRLEN),
            ("TP_STATUS_AVAILABLE", LibC.TP_STATUS_AVAILABLE), ("TP_STATUS_SEND_REQUEST", LibC.TP_STATUS_SEND_REQUEST),
            ("TP_STATUS_SENDING", LibC.TP_STATUS_SENDING), ("TP_STATUS_WRONG_FORMAT", LibC.TP_STATUS_WRONG_FORMAT),
            ("PROT_READ", LibC.PROT_READ), ("PROT_WRITE", LibC.PROT_WRITE), ("MAP_SHARED", LibC.MAP_SHARED),
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
