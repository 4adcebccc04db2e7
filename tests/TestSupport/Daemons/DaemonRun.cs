using System.Diagnostics;

namespace Replicator.TestSupport;

/// <summary>
/// Runs a daemon that is expected to exit by itself (a start-up refusal) as a real process,
/// <c>dotnet DLL ARGS</c> or the shipped binary (<see cref="DaemonExecutable"/>), and returns its exit code and output. Killed when it does not exit in time.
/// </summary>
public static class DaemonRun
{
    public static (int ExitCode, string Stdout, string Stderr) UntilExit(string dll, IEnumerable<string> args, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(dll);
        ArgumentNullException.ThrowIfNull(args);
        var (file, arguments) = DaemonExecutable.ForDll(dll, args);
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{Path.GetFileName(dll)} did not exit within {timeout}:\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// The start-up refusal of a bad configuration: exit code 1, every <paramref name="expected"/> line
    /// present, nothing on stderr but <c>DAEMON: configuration: ...</c> lines, and no stack trace anywhere.
    /// </summary>
    public static void AssertConfigurationRefused((int ExitCode, string Stdout, string Stderr) result, string daemon, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        string prefix = $"{daemon}: configuration: ";
        Xunit.Assert.Equal(1, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in expected)
            Xunit.Assert.Contains(lines, l => l.StartsWith(prefix + line, StringComparison.Ordinal));
        Xunit.Assert.All(lines, l => Xunit.Assert.StartsWith(prefix, l, StringComparison.Ordinal));
        Xunit.Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Xunit.Assert.DoesNotContain("Exception", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
