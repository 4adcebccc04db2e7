using System.Diagnostics;
using Xunit;

namespace Replicator.TestSupport;

/// <summary>Debian's promtool (package "prometheus") as the oracle of the exposition format; missing means failing.</summary>
public static class Promtool
{
    public const string Path = "/usr/bin/promtool";

    /// <summary>promtool check metrics on <paramref name="exposition"/> (stdin); returns the exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) CheckMetrics(string exposition)
    {
        Assert.True(File.Exists(Path), $"{Path} not found: install Debian's 'prometheus' package (tests/prerequisites.sh)");
        var psi = new ProcessStartInfo(Path, ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(exposition);
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30))) { p.Kill(); throw new TimeoutException("promtool hung"); }
        return (p.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}
