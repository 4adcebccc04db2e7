using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.ServiceNode.Replication.NextHops;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>
/// The packet path over a routed underlay with the real <see cref="NextHopTracker"/>: a steady stream from a
/// VTEP reaches a VTEP behind a router, and keeps reaching it while the router's MAC changes and the route moves
/// to another router (no blackhole: copies follow the kernel's tables).
/// </summary>
[Collection(KernelCollection.Name)]
public class PacketFollowKernelTests(ITestOutputHelper output)
{
    private const uint Vni = 100;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(1.5);

    [KernelTheory]
    [InlineData(false, nameof(TransmitPath.Packet))]
    [InlineData(true, nameof(TransmitPath.Packet))]
    [InlineData(false, nameof(TransmitPath.Raw))]
    [InlineData(true, nameof(TransmitPath.Raw))]
    public void Stream_RouterMacChangesAndRouteMoves_CopiesFollowWithFewLosses(bool ipv6, string transmitName)
    {
        var transmit = Enum.Parse<TransmitPath>(transmitName);
        using var lab = new RoutedReplicationLab(ipv6);
        var table = new MemberTable();
        table.Publish(new VniMembers(Vni, [lab.SenderAddress, lab.ReceiverAddress]));
        var settings = new ReplicationSettings { DataAddress = lab.ServiceNodeAddress, Workers = 1, Transmit = transmit };
        using var tracker = lab.ServiceNode.Enter(() => new NextHopTracker(table));
        tracker.Start();
        using var worker = lab.ServiceNode.Enter(() => new ReplicationWorker(0, settings, table, null, null, nextHops: tracker));
        worker.Start();
        using var receiver = lab.Receiver.Enter(() => new UdpClient(new IPEndPoint(lab.ReceiverAddress, 4789)));
        using var sender = lab.Sender.Enter(() => new UdpClient(new IPEndPoint(lab.SenderAddress, 0)));
        var received = new HashSet<int>();
        var receiving = new Thread(() => Receive(receiver, received)) { IsBackground = true };
        receiving.Start();

        // Warm-up until copies arrive (the first ones resolve neighbours); then the measured stream.
        int sequence = 0;
        var to = new IPEndPoint(lab.ServiceNodeAddress, 4789);
        var clock = Stopwatch.StartNew();
        while (Count(received) == 0 && clock.Elapsed < TimeSpan.FromSeconds(15)) Send(sender, to, ++sequence, pause: 10);
        Assert.True(Count(received) > 0, "no copy reached the receiving VTEP");
        if (transmit == TransmitPath.Packet)
        {
            Assert.True(PacketTransmitKernelTests.WaitFor(() => tracker.Current.TryGet(lab.ReceiverAddress, out var hop) && hop.IsUsable, TimeSpan.FromSeconds(15)),
                "the tracker never resolved the receiving VTEP");
        }
        int first = sequence + 1;
        long packetBefore = worker.Counters.CopiesAsFrames;
        Stream(sender, to, ref sequence, Phase);
        lab.ChangeRouter1Mac("02:00:00:00:17:01");
        Stream(sender, to, ref sequence, Phase);
        // The service node has never talked to router 2: the first copies after the move resolve it.
        lab.MoveRouteToRouter2();
        Stream(sender, to, ref sequence, Phase);
        int last = sequence;
        Thread.Sleep(500);
        receiver.Client.Close();
        receiving.Join(TimeSpan.FromSeconds(5));

        int sent = last - first + 1, lost;
        lock (received) lost = Enumerable.Range(first, sent).Count(s => !received.Contains(s));
        long packetCopies = worker.Counters.CopiesAsFrames - packetBefore;
        output.WriteLine($"{transmit} ipv6={ipv6}: sent {sent}, lost {lost}, packet-path copies {packetCopies}, " +
            $"fallbacks: no_neighbour {worker.Counters.FallbacksFor(PacketFallback.NoNeighbour)}, pending {worker.Counters.FallbacksFor(PacketFallback.Pending)}");
        // At ~1 datagram per ms, 100 ms of following is ~100 copies per change; the bound is generous on purpose.
        Assert.True(lost <= sent / 10, $"lost {lost} of {sent}");
        if (transmit == TransmitPath.Packet) Assert.True(packetCopies > sent / 2, $"only {packetCopies} of {sent} on the packet path");
        else Assert.Equal(0, packetCopies);
    }

    private static void Stream(UdpClient sender, IPEndPoint to, ref int sequence, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration) Send(sender, to, ++sequence, pause: 1);
    }

    private static void Send(UdpClient sender, IPEndPoint to, int sequence, int pause)
    {
        var datagram = Datagrams.Vxlan(Vni, 64);
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(8 + 14), sequence); // inside the inner frame's payload
        sender.Send(datagram, to);
        Thread.Sleep(pause);
    }

    private static void Receive(UdpClient receiver, HashSet<int> received)
    {
        IPEndPoint? from = null;
        try
        {
            while (true)
            {
                byte[] d = receiver.Receive(ref from);
                if (d.Length >= 8 + 18) lock (received) received.Add(BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(8 + 14)));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed: the stream is over
        }
    }

    private static int Count(HashSet<int> received)
    {
        lock (received) return received.Count;
    }
}
