using System.Diagnostics;
using System.Text.Json;
using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests.Support;

/// <summary>What the overlay tests look at: a VTEP's default FDB entries, and waiting on daemons with their logs at hand.</summary>
internal static class OverlayChecks
{
    /// <summary>Destinations of the all-zero (default) FDB entries of <paramref name="device"/>, from <c>bridge -j fdb show</c>.</summary>
    public static List<string> DefaultDestinations(NetworkNamespace ns, string device = "vxlan100")
    {
        using var doc = JsonDocument.Parse(ns.Exec("bridge", "-j", "fdb", "show", "dev", device));
        return [.. doc.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("mac").GetString() == "00:00:00:00:00:00" && e.TryGetProperty("dst", out _))
            .Select(e => e.GetProperty("dst").GetString()!)];
    }

    /// <summary>Runs a daemon's command-line client (next to this assembly) and returns its output; fails on a non-zero exit.</summary>
    public static string Cli(string executable, params string[] args)
    {
        var result = Shell.Run(DaemonExecutable.ForName(executable), args);
        Assert.True(result.ExitCode == 0, $"{executable} {string.Join(' ', args)}: exit {result.ExitCode}\n{result.Stdout}{result.Stderr}");
        return result.Stdout;
    }

    public static bool Same(IReadOnlyList<string> actual, IEnumerable<string> expected) => actual.Order().SequenceEqual(expected.Order());

    /// <summary>Polls <paramref name="condition"/>; fails with every daemon's output on timeout or when one exits.</summary>
    public static TimeSpan WaitFor(string what, TimeSpan timeout, Func<bool> condition, params DaemonProcess[] daemons)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            foreach (var d in daemons) Assert.False(d.HasExited, $"a daemon exited while waiting for {what}:\n{d.Output}");
            Assert.True(clock.Elapsed < timeout, $"{what}: not within {timeout}\n" + string.Join("\n---\n", daemons.Select(d => d.Output)));
            Thread.Sleep(50);
        }
        return clock.Elapsed;
    }
}
