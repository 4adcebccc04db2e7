using System.Globalization;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// <c>Replicator.Benchmarks fleet [--key value ...]</c>: the control plane at fleet scale, N simulated
/// VTEPs against one real vxsnd (docs/benchmarks.md, "Control plane at fleet scale"). Needs root.
/// <code>
/// fleet --vteps 2000 [--vnis 1] [--vni-pool M] [--join-seconds 5] [--refresh-seconds 30] [--hold-seconds 90]
///       [--steady-seconds 0] [--churn-seconds 0] [--churn-percent 1] [--restart yes] [--loss 0] [--deltas yes] [--vtep-rcvbuf-kib 4096] [--cpus 0,1]
///       [--deadline-seconds 60] [--seed 1] [--vxsnd PATH] [--vxsnd-args "--ServiceNode:Key=Value ..."]
/// </code>
/// Exit code 0 when every phase converged and the registry matched the target, 1 otherwise, 2 on bad arguments.
/// </summary>
internal static class FleetCommand
{
    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"fleet: expected --key value, got '{args[i]}'");
                return 2;
            }
            options[args[i][2..]] = args[i + 1];
        }
        string[] known = ["vteps", "vnis", "vni-pool", "join-seconds", "refresh-seconds", "hold-seconds", "steady-seconds", "churn-seconds",
            "churn-percent", "restart", "loss", "deltas", "vtep-rcvbuf-kib", "cpus", "deadline-seconds", "seed", "vxsnd", "vxsnd-args"];
        if (options.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            Console.Error.WriteLine($"fleet: unknown option --{unknown}; known: {string.Join(", ", known.Select(k => "--" + k))}");
            return 2;
        }
        double Number(string key, double fallback) => options.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string key, double fallback) => TimeSpan.FromSeconds(Number(key, fallback));
        int vnis = (int)Number("vnis", 1);
        // Default: the simulator on CPU 0, vxsnd on CPU 1, where there are two.
        string pin = options.GetValueOrDefault("cpus", Environment.ProcessorCount >= 2 ? "0,1" : "no");
        var cpus = pin is "no" ? (Simulator: -1, Vxsnd: -1)
            : (Simulator: int.Parse(pin.Split(',')[0], CultureInfo.InvariantCulture), Vxsnd: int.Parse(pin.Split(',')[^1], CultureInfo.InvariantCulture));
        var settings = new FleetSettings(
            Vteps: (int)Number("vteps", 300),
            VnisPerVtep: vnis,
            VniPool: (int)Number("vni-pool", vnis),
            JoinWindow: Seconds("join-seconds", 5),
            RefreshInterval: Seconds("refresh-seconds", 30),
            HoldTime: Seconds("hold-seconds", 90),
            SteadyDuration: Seconds("steady-seconds", 0),
            ChurnDuration: Seconds("churn-seconds", 0),
            ChurnPercentPerSecond: Number("churn-percent", 1),
            Restart: options.GetValueOrDefault("restart") is "yes" or "true",
            LossPercent: Number("loss", 0),
            Deltas: options.GetValueOrDefault("deltas", "yes") is "yes" or "true",
            VtepReceiveBufferBytes: (int)Number("vtep-rcvbuf-kib", 4096) * 1024,
            SimulatorCpu: cpus.Simulator,
            VxsndCpu: cpus.Vxsnd,
            PhaseDeadline: Seconds("deadline-seconds", 60),
            Seed: (int)Number("seed", 1),
            VxsndPath: options.GetValueOrDefault("vxsnd"),
            VxsndArguments: options.TryGetValue("vxsnd-args", out var extra) ? extra.Split(' ', StringSplitOptions.RemoveEmptyEntries) : []);
        if (settings.Validate() is { Count: > 0 } errors)
        {
            foreach (string e in errors) Console.Error.WriteLine($"fleet: {e}");
            return 2;
        }
        return new FleetRun(settings, Console.Out).RunAsync().GetAwaiter().GetResult();
    }
}
