using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>The packet path against the real kernel: what a VTEP receives from it is what the raw path delivers.</summary>
[Collection(KernelCollection.Name)]
public class PacketTransmitKernelTests
{
    private const uint Vni = 300; // no VTEP has a device for it: only the test's own datagram is replicated

    [KernelTheory]
    [InlineData(false, ReplicationOptions.DefaultPacketRingFrames)]
    [InlineData(true, ReplicationOptions.DefaultPacketRingFrames)]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    public void Workers_RawThenPacket_VtepReceivesIdenticalDatagramsExceptIdAndChecksum(bool ipv6, int ringFrames)
    {
        using var lab = new ReplicationLab(ipv6);
        var table = new MemberTable();
        table.Publish(new VniMembers(Vni, [lab.VtepAddress(1), lab.VtepAddress(2)]));
        lab.ServiceNode.Exec("ping", "-c", "1", "-W", "2", lab.VtepAddress(2).ToString());
        var hops = new IpCommandNextHops(lab.ServiceNode);
        hops.Resolve([lab.VtepAddress(2)]);
        using var sender = lab.Vteps[0].Enter(() => new UdpClient(new IPEndPoint(lab.VtepAddress(1), 0)));
        var datagram = Datagrams.Vxlan(Vni, 90);
        // A packet socket in VTEP 2 sees every frame its interfaces receive from the moment it exists (no capture start-up race).
        using var tap = lab.Vteps[1].Enter(() => new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)EthPAllNetworkOrder));
        tap.ReceiveTimeout = 10_000;
        var frames = new List<byte[]>();
        foreach (var transmit in new[] { TransmitPath.Raw, TransmitPath.Packet })
        {
            var settings = new ReplicationSettings { DataAddress = lab.ServiceNodeAddress, Workers = 1, Transmit = transmit, PacketRingFrames = ringFrames };
            using var worker = lab.ServiceNode.Enter(() => new ReplicationWorker(0, settings, table, null, null, nextHops: hops));
            worker.Start();
            sender.Send(datagram, new IPEndPoint(lab.ServiceNodeAddress, 4789));
            frames.Add(ReceiveCopy(tap, ipv6));
            // The worker counts a copy after sendmmsg returns, which may be after VTEP 2 has it.
            CopyPath path = transmit == TransmitPath.Raw ? CopyPath.Raw : ringFrames > 0 ? CopyPath.PacketRing : CopyPath.Packet;
            Assert.True(WaitFor(() => worker.Counters.CopiesOn(path) == 1, TimeSpan.FromSeconds(10)), $"{transmit}: not counted on {path}");
        }

        byte[] raw = frames[0], packet = frames[1];
        Assert.Equal(raw.Length, packet.Length);
        if (!ipv6)
        {
            // IPv4 identification and header checksum differ (the kernel chose the raw copy's); both checksums are valid.
            Assert.True(HeaderChecksumValid(raw.AsSpan(14, 20)) && HeaderChecksumValid(packet.AsSpan(14, 20)));
            foreach (var f in new[] { raw, packet })
            {
                f.AsSpan(14 + 4, 2).Clear();
                f.AsSpan(14 + 10, 2).Clear();
            }
        }
        Assert.Equal(Convert.ToHexString(raw), Convert.ToHexString(packet));
    }

    private const int EthPAllNetworkOrder = 0x0300; // htons(ETH_P_ALL)

    private static byte[] ReceiveCopy(Socket tap, bool ipv6)
    {
        var buffer = new byte[2048];
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            int n = tap.Receive(buffer); // throws on the 10 s timeout
            if (IsCopy(buffer.AsSpan(0, n).ToArray(), ipv6)) return buffer.AsSpan(0, n).ToArray();
        }
        throw new TimeoutException("no copy reached VTEP 2");
    }

    /// <summary>A copy of the test datagram: from VTEP 1's address, UDP to 4789, VNI 300.</summary>
    private static bool IsCopy(byte[] frame, bool ipv6)
    {
        int ip = 14, udp = ip + (ipv6 ? 40 : 20);
        if (frame.Length < udp + 16) return false;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        if (type != (ipv6 ? 0x86DD : 0x0800) || frame[ipv6 ? ip + 6 : ip + 9] != 17) return false;
        return BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + 2)) == 4789
            && (BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(udp + 12)) >> 8) == Vni;
    }

    private static bool HeaderChecksumValid(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum == 0xFFFF;
    }

    internal static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout) return false;
            Thread.Sleep(20);
        }
        return true;
    }
}
