using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Configuration;

/// <summary>
/// Issue 13 probes 11 and 12 against the real vxsnd process: a configuration that could be misread
/// (misshapen values, misspelt keys, bad data-plane keys) stops start-up with exit code 1 and one
/// <c>vxsnd: configuration: KEY: PROBLEM</c> line per problem, all of them together, no stack trace.
/// </summary>
public sealed class VxsndStartupConfigurationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vxsnd-config").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes <paramref name="keys"/> (JSON members) into a file beside harmless settings and runs vxsnd with it.</summary>
    private (int ExitCode, string Stdout, string Stderr) Run(string keys, params string[] extra)
    {
        // Should a refusal ever fail to happen, the daemon binds only loopback and temporary paths.
        string path = Path.Combine(_dir, "vxsnd.json");
        File.WriteAllText(path, $$"""
            {
              "ServiceNode": {
                "ControlAddress": "127.0.0.1",
                "DataAddress": "127.0.0.1",
                "ManagementSocket": "{{Path.Combine(_dir, "vxsnd.sock")}}",
                "StaticEntriesFile": "{{Path.Combine(_dir, "static-entries")}}",
                {{keys}}
              }
            }
            """);
        var result = DaemonRun.UntilExit(Path.Combine(AppContext.BaseDirectory, "vxsnd.dll"),
            ["--config", path, "--ServiceNode:SyncPort=0", .. extra], TimeSpan.FromSeconds(60));
        output.WriteLine($"exit {result.ExitCode}\n--- stderr\n{result.Stderr}--- stdout\n{result.Stdout}");
        return result;
    }

    private static void AssertRefused((int ExitCode, string Stdout, string Stderr) result, params string[] expected) =>
        DaemonRun.AssertConfigurationRefused(result, "vxsnd", expected);

    [Theory]
    [InlineData("\"ControlPort\": [1,2]", "ServiceNode:ControlPort: expected a number, got an array")]
    [InlineData("\"ControlPort\": {\"a\":1}", "ServiceNode:ControlPort: expected a number, got an object")]
    [InlineData("\"ControlPort\": null", "ServiceNode:ControlPort: expected a number, got null")]
    [InlineData("\"ControlPrt\": 10001", "ServiceNode:ControlPrt: unknown key; did you mean ControlPort?")]
    [InlineData("\"HoldTme\": \"00:01:30\"", "ServiceNode:HoldTme: unknown key; did you mean HoldTime?")]
    public void Start_Probe11_MisshapenOrMisspeltKey_ExitsOneNamingIt(string keys, string expected)
    {
        AssertRefused(Run(keys), expected);
    }

    [Fact]
    public void Start_Probe12_BadDataPlaneKeys_ExitsOneWithEveryKeyAndNoStackTrace()
    {
        var result = Run("\"DataPort\": 70000, \"Workers\": -1, \"SourceMode\": \"Bogus\"");

        AssertRefused(result,
            "ServiceNode:DataPort = '70000': must be 1-65535",
            "ServiceNode:Workers = '-1': must be 0-256",
            "ServiceNode:SourceMode = 'Bogus': not a valid value (one of: Preserve, Node)");
    }

    [Fact]
    public void Start_ProblemsInEveryPlane_ReportedTogetherOneLineEach()
    {
        var result = Run(
            """
            "ControlPrt": 1, "ControlPort": 99999, "HoldTime": null,
            "DataPort": 70000, "Workers": -1, "SourceMode": "Bogus", "Ttl": [64],
            "Peers": "198.51.100.2", "KeepaliveInterval": "5",
            "MaxVnisPerSource": -1,
            "MetricsEndpoint": "nowhere", "OtlpEndpoint": "ftp://collector"
            """,
            "--ServiceNode:Foo=1");

        string[] expected =
        [
            "ServiceNode:ControlPrt: unknown key; did you mean ControlPort?",
            "ServiceNode:Foo: unknown key; did you mean ",
            "ServiceNode:ControlPort = '99999': must be 0-65535",
            "ServiceNode:HoldTime: expected a duration",
            "ServiceNode:DataPort = '70000': must be 1-65535",
            "ServiceNode:Workers = '-1': must be 0-256",
            "ServiceNode:SourceMode = 'Bogus': not a valid value",
            "ServiceNode:Ttl: expected a number, got an array",
            "ServiceNode:Peers: expected a list",
            "ServiceNode:KeepaliveInterval = '5': not a valid duration",
            "ServiceNode:MaxVnisPerSource = '-1': must be 0 (unlimited) or more",
            "ServiceNode:MetricsEndpoint: 'nowhere'",
            "ServiceNode:OtlpEndpoint: 'ftp://collector' is not an http:// or https:// URL",
        ];
        AssertRefused(result, expected);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, lines.Distinct(StringComparer.Ordinal).Count()); // each problem once
        output.WriteLine($"{lines.Length} lines for {expected.Length} problems");
    }
}
