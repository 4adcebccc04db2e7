using System.Globalization;

namespace Replicator.Benchmarks.Replication;

/// <summary>The replication benchmark's command line (see <see cref="ReplicationBenchmark"/>).</summary>
internal sealed record BenchOptions(
    int Runs, double Seconds, int[] Fanouts, int[] Sizes, int[] Workers, string[] Transmits, int[] Families,
    bool Baseline, bool Reference, bool OwnCheck)
{
    public static readonly BenchOptions Default = new(3, 1.0, [8, 64], [64, 1400], [1, 2], ["packet", "raw"], [4, 6], true, true, false);

    public static BenchOptions Parse(string[] args)
    {
        var o = Default;
        for (int i = 0; i < args.Length; i++)
        {
            int[] Ints() => args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            o = args[i] switch
            {
                "--runs" => o with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--fanouts" => o with { Fanouts = Ints() },
                "--sizes" => o with { Sizes = Ints() },
                "--workers" => o with { Workers = Ints() },
                "--transmit" => o with { Transmits = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim().ToLowerInvariant()).ToArray() },
                "--families" => o with { Families = Ints() },
                "--no-baseline" => o with { Baseline = false },
                "--no-reference" => o with { Reference = false },
                "--own-check" => o with { OwnCheck = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Runs < 1) throw new ArgumentException("--runs must be at least 1");
        if (o.Seconds is <= 0 or > 60) throw new ArgumentException("--seconds must be in (0, 60]");
        if (o.Fanouts.Any(f => f is < 1 or > 250)) throw new ArgumentException("fan-outs must be 1..250");
        if (o.Sizes.Any(s => s is < 14 or > 1400)) throw new ArgumentException("inner sizes must be 14..1400 bytes (copies must fit the sink's MTU of 1500)");
        if (o.Workers.Any(w => w is < 1 or > 64)) throw new ArgumentException("workers must be 1..64");
        if (o.Transmits.Any(t => t is not ("packet" or "packet-mmsg" or "raw")))
            throw new ArgumentException("--transmit takes packet (TX rings), packet-mmsg (PacketRingFrames=0: sendmmsg), raw, or a list (packet,raw)");
        if (o.Families.Any(f => f is not (4 or 6))) throw new ArgumentException("--families takes 4, 6 or both (4,6)");
        return o;
    }
}
