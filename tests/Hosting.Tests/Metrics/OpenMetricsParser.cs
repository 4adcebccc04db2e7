using System.Diagnostics;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>
/// The OpenMetrics reference parser (python3-prometheus-client's
/// <c>prometheus_client.openmetrics.parser</c>, Debian's /usr/bin/python3) as the oracle of the
/// OpenMetrics exposition: promtool's <c>check metrics</c> reads only the 0.0.4 text format.
/// It rejects what the OpenMetrics specification forbids (no <c># EOF</c>, a family split in
/// two, a counter sample without <c>_total</c>, bad escaping, unordered buckets).
/// </summary>
internal static class OpenMetricsParser
{
    public const string Python = "/usr/bin/python3";

    // Prints "name type unit samples" per family; a parse error exits non-zero with the message.
    private const string Script = """
        import sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        for f in text_string_to_metric_families(sys.stdin.read()):
            print(f.name, f.type, f.unit or '-', len(f.samples))
        """;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Parse(string exposition)
    {
        Assert.True(File.Exists(Python), $"{Python} not found (Debian's python3)");
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(exposition);
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 did not finish in 60 s");
        }

        var result = new Result(p.ExitCode, stdout.Result, stderr.Result);
        Assert.False(result.Stderr.Contains("No module named 'prometheus_client'", StringComparison.Ordinal),
            "python3-prometheus-client is not installed (tests/prerequisites.sh installs it)");
        return result;
    }
}
