using System.Diagnostics;
using System.Net;
using Replicator.Protocol.Control;
using Replicator.Protocol.Tests.Fixtures.Legacy;

namespace Replicator.Benchmarks.Codec;

/// <summary>
/// Control codec timings before and after MessagePack-CSharp, in one run: the legacy decoder and
/// writer (compiled in from tests/Protocol.Tests/Fixtures/Legacy) against <see cref="ControlCodec"/>,
/// on three messages: a typical registration, a full peer-list datagram, a sync frame. Rounds
/// alternate old and new so that machine noise hits both alike; the fastest round is reported (on a
/// shared machine the others measure the neighbours), with the bytes each operation allocates.
/// Run: <c>dotnet run -c Release --project tests/Benchmarks -- codec [--rounds N]</c>
/// </summary>
internal static class CodecBenchmark
{
    private const int OperationsPerRound = 20_000;

    public static int Run(string[] args)
    {
        int rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1]) : 15;
        Console.WriteLine($"{"message",-22} {"bytes",6} {"operation",-8} {"legacy ns",10} {"new ns",10} {"legacy B",9} {"new B",9}");
        foreach ((string name, ControlMessage message) in Messages())
        {
            byte[] datagram = ControlCodec.Encode(message);
            if (!datagram.AsSpan().SequenceEqual(LegacyControlBodyWriter.WriteDatagram(message, false))) throw new InvalidOperationException($"{name}: the writers disagree");
            Report(name, datagram.Length, "decode", rounds,
                () => LegacyControlDecoder.TryDecode(datagram, out _, out _),
                () => ControlCodec.TryDecode(datagram, out _, out _));
            Report(name, datagram.Length, "encode", rounds,
                () => LegacyControlBodyWriter.WriteDatagram(message, false),
                () => ControlCodec.Encode(message));
        }
        return 0;
    }

    private static void Report(string name, int bytes, string operation, int rounds, Action legacy, Action current)
    {
        var legacyNs = new List<double>();
        var currentNs = new List<double>();
        (double, long) legacyRun = default, currentRun = default;
        for (int i = 0; i < 3; i++)
        {
            Measure(legacy);
            Measure(current); // warm-up: JIT tiers, per-thread buffers
        }
        for (int r = 0; r < rounds; r++)
        {
            legacyRun = Measure(legacy);
            currentRun = Measure(current);
            legacyNs.Add(legacyRun.Item1);
            currentNs.Add(currentRun.Item1);
        }
        Console.WriteLine($"{name,-22} {bytes,6} {operation,-8} {legacyNs.Min(),10:F0} {currentNs.Min(),10:F0} {legacyRun.Item2,9} {currentRun.Item2,9}");
    }

    private static (double NsPerOperation, long BytesPerOperation) Measure(Action operation)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < OperationsPerRound; i++) operation();
        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / OperationsPerRound;
        return (ns, (GC.GetAllocatedBytesForCurrentThread() - allocated) / OperationsPerRound);
    }

    private static IEnumerable<(string, ControlMessage)> Messages()
    {
        yield return ("register (2 VNIs)", new RegisterMessage("vtep-a", 90, false, WireResponseWanted.RegisteredVnis,
            [new VniAddresses(100, [IPAddress.Parse("192.0.2.1")]), new VniAddresses(200, [IPAddress.Parse("192.0.2.1")])]));
        var vnis = new List<VniAddresses>();
        for (int v = 0; v < 40; v++)
        {
            vnis.Add(new VniAddresses((uint)(1000 + v), [IPAddress.Parse($"198.51.100.{v + 1}"), IPAddress.Parse($"2001:db8::{v + 1:x}")]));
        }
        yield return ("peer list (40 VNIs)", new PeerListMessage(90, vnis, 7) { Cookie = UInt128.MaxValue / 3 });
        var entries = new List<SyncEntry>();
        for (int e = 0; e < 100; e++)
        {
            entries.Add(new SyncEntry((uint)(100 + e), IPAddress.Parse($"203.0.113.{e + 1}"), 85, $"vtep-{e}.example", WireEntrySource.Registered));
        }
        yield return ("sync (100 entries)", new SyncMessage(entries, true));
    }
}
