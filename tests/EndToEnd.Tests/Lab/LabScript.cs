using System.Diagnostics;
using System.Text;
using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests.Lab;

/// <summary>
/// Runs <c>deploy/lab/lab.sh</c> with a namespace prefix of its own, so a test never meets another
/// run's namespaces (or a developer's lab under the default prefix), and captures everything it prints.
/// </summary>
public sealed class LabScript
{
    private static int s_counter;

    public LabScript() => Prefix = $"rle{Environment.ProcessId}x{Interlocked.Increment(ref s_counter)}";

    /// <summary>The LAB_PREFIX of this run: every namespace is named "{Prefix}-{role}".</summary>
    public string Prefix { get; }

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Extra environment of the script and the daemons it starts (e.g. <c>ServiceNode__DataPlane__Transmit</c>).</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = [];

    /// <summary>Runs the lab with these arguments; a run that outlives <paramref name="timeout"/> is killed.</summary>
    public Result Run(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepositoryRoot, "deploy", "lab", "lab.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (key, value) in ExtraEnvironment) psi.Environment[key] = value;
        psi.Environment["LAB_PREFIX"] = Prefix;
        // The script's own deadline fires first, so a slow run still tears down and explains itself.
        psi.Environment["LAB_TIMEOUT"] = ((int)(timeout.TotalSeconds * 0.8)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var output = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Run(TimeSpan.FromSeconds(60), "down");
            lock (output) return new Result(-1, output + $"\n(killed after {timeout})");
        }
        p.WaitForExit(); // flushes the asynchronous readers
        lock (output) return new Result(p.ExitCode, output.ToString());
    }

    /// <summary>The lab's namespaces that exist now.</summary>
    public IReadOnlyList<string> Namespaces() =>
        Replicator.TestSupport.Shell.Run("ip", "netns", "list").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith(Prefix + "-", StringComparison.Ordinal))
            .ToList();

    private static string RepositoryRoot => TestSupport.RepositoryRoot.Path;
}
