using System.Diagnostics;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>
/// Runs Debian's promtool (package "prometheus") as an oracle. A missing promtool fails the
/// test with the install hint: these checks are the acceptance criterion, not optional.
/// </summary>
internal static class Promtool
{
    public const string Path = "/usr/bin/promtool";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => (Stdout + Stderr).Trim();
    }

    public static void EnsureInstalled()
    {
        Assert.True(File.Exists(Path), $"{Path} not found: install Debian's 'prometheus' package (apt-get install prometheus) to run the promtool checks");
    }

    /// <summary>promtool check metrics, reading the exposition from stdin.</summary>
    public static Result CheckMetrics(string exposition) => Run(["check", "metrics"], exposition);

    public static Result Run(IEnumerable<string> args, string? stdin = null)
    {
        EnsureInstalled();
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start promtool");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("promtool did not finish in 60 s");
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
