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

    /// <summary>
    /// Writes <paramref name="keys"/> (JSON members of section <c>ServiceNode</c>, nested sections included)
    /// into a file and runs vxsnd with it, harmless settings on the command line.
    /// </summary>
    private (int ExitCode, string Stdout, string Stderr) Run(string keys, params string[] extra)
    {
        // Should a refusal ever fail to happen, the daemon binds only loopback and temporary paths.
        string path = Path.Combine(_dir, "vxsnd.json");
        File.WriteAllText(path, $$"""
            {
              "ServiceNode": {
                "ControlAddress": "127.0.0.1",
                "ManagementSocket": "{{Path.Combine(_dir, "vxsnd.sock")}}",
                {{keys}}
              }
            }
            """);
        var result = DaemonRun.UntilExit(Path.Combine(AppContext.BaseDirectory, "vxsnd.dll"),
            ["--config", path, "--ServiceNode:Cluster:SyncPort=0", "--ServiceNode:DataPlane:Address=127.0.0.1",
             $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(_dir, "static-entries")}", .. extra], TimeSpan.FromSeconds(60));
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
    [InlineData("\"Registry\": { \"HoldTme\": \"00:01:30\" }", "ServiceNode:Registry:HoldTme: unknown key; did you mean HoldTime?")]
    [InlineData("\"DataPlane\": 4789", "ServiceNode:DataPlane: expected a section of keys, got a single value '4789'")]
    public void Start_Probe11_MisshapenOrMisspeltKey_ExitsOneNamingIt(string keys, string expected)
    {
        AssertRefused(Run(keys), expected);
    }

    [Fact]
    public void Start_Probe12_BadDataPlaneKeys_ExitsOneWithEveryKeyAndNoStackTrace()
    {
        var result = Run("\"DataPlane\": { \"Port\": 70000, \"Workers\": -1, \"SourceMode\": \"Bogus\" }");

        AssertRefused(result,
            "ServiceNode:DataPlane:Port = '70000': must be 1-65535",
            "ServiceNode:DataPlane:Workers = '-1': must be 0-256",
            "ServiceNode:DataPlane:SourceMode = 'Bogus': not a valid value (one of: Preserve, Node)");
    }

    [Fact]
    public void Start_ProblemsInEveryPlane_ReportedTogetherOneLineEach()
    {
        var result = Run(
            """
            "ControlPrt": 1, "ControlPort": 99999, "Registry": { "HoldTime": null },
            "DataPlane": { "Port": 70000, "Workers": -1, "SourceMode": "Bogus", "Ttl": [64] },
            "Cluster": { "Peers": "198.51.100.2", "KeepaliveInterval": "5" },
            "Hardening": { "MaxVnisPerSource": -1 },
            "Metrics": { "Endpoint": "nowhere", "OtlpEndpoint": "ftp://collector" }
            """,
            "--ServiceNode:Foo=1");

        string[] expected =
        [
            "ServiceNode:ControlPrt: unknown key; did you mean ControlPort?",
            "ServiceNode:Foo: unknown key; did you mean ",
            "ServiceNode:ControlPort = '99999': must be 0-65535",
            "ServiceNode:Registry:HoldTime: expected a duration",
            "ServiceNode:DataPlane:Port = '70000': must be 1-65535",
            "ServiceNode:DataPlane:Workers = '-1': must be 0-256",
            "ServiceNode:DataPlane:SourceMode = 'Bogus': not a valid value",
            "ServiceNode:DataPlane:Ttl: expected a number, got an array",
            "ServiceNode:Cluster:Peers: expected a list",
            "ServiceNode:Cluster:KeepaliveInterval = '5': not a valid duration",
            "ServiceNode:Hardening:MaxVnisPerSource = '-1': must be 0 (unlimited) or more",
            "ServiceNode:Metrics:Endpoint: 'nowhere'",
            "ServiceNode:Metrics:OtlpEndpoint: 'ftp://collector' is not an http:// or https:// URL",
        ];
        AssertRefused(result, expected);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, lines.Distinct(StringComparer.Ordinal).Count()); // each problem once
        output.WriteLine($"{lines.Length} lines for {expected.Length} problems");
    }

    /// <summary>Flat keys of before the nested sections are refused, each naming the key that replaced it.</summary>
    [Fact]
    public void Start_OldFlatKeys_ExitsOneNamingWhereEachMoved()
    {
        var result = Run("\"DataPort\": 4789, \"HoldTime\": \"90s\", \"Peers\": [], \"MaxVnisPerSource\": 1, \"MetricsEndpoint\": \"\"");

        AssertRefused(result,
            "ServiceNode:DataPort: unknown key; it moved to ServiceNode:DataPlane:Port",
            "ServiceNode:HoldTime: unknown key; it moved to ServiceNode:Registry:HoldTime",
            "ServiceNode:Peers: unknown key; it moved to ServiceNode:Cluster:Peers",
            "ServiceNode:MaxVnisPerSource: unknown key; it moved to ServiceNode:Hardening:MaxVnisPerSource",
            "ServiceNode:MetricsEndpoint: unknown key; it moved to ServiceNode:Metrics:Endpoint");
    }
}
