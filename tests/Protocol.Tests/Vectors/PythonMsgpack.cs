using Replicator.TestSupport;

namespace Replicator.Protocol.Tests.Vectors;

/// <summary>
/// Runs Vectors/msgpack_interop.py with Debian's /usr/bin/python3 and python3-msgpack, the
/// independent MessagePack implementation. Missing python or msgpack is a test failure with
/// the fix in the message, never a skip.
/// </summary>
internal static class PythonMsgpack
{
    public const string Python = "/usr/bin/python3";

    public static string Run(params string[] args)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3 python3-msgpack (tests/prerequisites.sh)");
        Shell.Result result = Shell.Run(Python, [RepositoryFiles.InteropScript, .. args], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode != 3, $"python3-msgpack is missing: apt-get install -y python3-msgpack ({result.Stderr.Trim()})");
        Assert.True(result.ExitCode == 0, $"msgpack_interop.py {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    /// <summary>Decodes files with one of the script's decode commands; returns file name -> canonical text.</summary>
    public static Dictionary<string, string> Decode(string command, IEnumerable<string> files)
    {
        string output = Run([command, .. files]);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int tab = line.IndexOf('\t');
            result[line[..tab]] = line[(tab + 1)..];
        }
        return result;
    }
}
