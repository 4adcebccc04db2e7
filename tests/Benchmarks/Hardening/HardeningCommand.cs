using System.Globalization;
using System.Net;
using Replicator.Benchmarks.Hardening.Tools;
using Replicator.Hosting.Authentication;

namespace Replicator.Benchmarks.Hardening;

/// <summary>
/// <c>Replicator.Benchmarks hardening fuzz|churn [--key value ...]</c>: the hardening load tools
/// against a running vxsnd. Loopback or documentation addresses only (the tests' traffic rule);
/// run them inside a network namespace of your own.
/// <code>
/// hardening fuzz  --control 127.0.0.1:10001 --data 127.0.0.1:4789 --count 1000000 --seed 1 --seconds 60 [--rate 50000] [--sources 8]
/// hardening churn --control 127.0.0.1:10001 [--data 127.0.0.1:4789] --vteps 200 --seconds 60 --seed 1 [--rate 400] [--key-file F] [--model-out F]
/// </code>
/// The churn tool writes the expected registry (lines "VNI ADDRESS NODE-ID") to --model-out, to be
/// compared with <c>vxsnd fdb --json</c>.
/// </summary>
public static class HardeningCommand
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("fuzz" or "churn"))
        {
            Console.Error.WriteLine("usage: hardening fuzz|churn --control HOST:PORT [--data HOST:PORT] [--seed N] [--seconds S] ...");
            return 2;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) { Console.Error.WriteLine($"unexpected argument {args[i]}"); return 2; }
            options[args[i][2..]] = args[i + 1];
        }
        string? Get(string key) => options.GetValueOrDefault(key);
        int Int(string key, int fallback) => Get(key) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        IPEndPoint? Endpoint(string key) => Get(key) is { } v ? IPEndPoint.Parse(v) : null;
        var control = Endpoint("control");
        if (control is null) { Console.Error.WriteLine("--control HOST:PORT is required"); return 2; }

        if (args[0] == "fuzz")
        {
            int sources = Int("sources", 8);
            var settings = new FuzzSettings(control, Endpoint("data"),
                [.. Enumerable.Range(1, sources).Select(i => IPAddress.Parse($"127.0.3.{i}"))],
                long.Parse(Get("count") ?? "1000000", CultureInfo.InvariantCulture), Int("seed", 1),
                TimeSpan.FromSeconds(Int("seconds", 60)), Int("rate", 0));
            Console.WriteLine(FuzzSender.Run(settings));
            return 0;
        }

        AuthKeyRing? keys = Get("key-file") is { } file ? AuthKeyFileFormat.Parse(File.ReadAllText(file)) : null;
        var churn = new ChurnSettings(control, Int("vteps", 200), TimeSpan.FromSeconds(Int("seconds", 60)), Int("seed", 1),
            OperationsPerSecond: Int("rate", 400), DataPlane: Endpoint("data"), Keys: keys);
        using var load = new ChurnLoad(churn);
        var report = load.RunAsync().GetAwaiter().GetResult();
        Console.WriteLine(report);
        if (Get("model-out") is { } output) File.WriteAllLines(output, load.Model.Snapshot().Select(e => e.ToString()));
        return 0;
    }
}
