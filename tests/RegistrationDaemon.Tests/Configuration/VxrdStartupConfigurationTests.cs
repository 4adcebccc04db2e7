using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.RegistrationDaemon.Tests.Configuration;

/// <summary>
/// Issue 13 probe 11 against the real vxrd process: misspelt keys and misshapen values stop
/// start-up with exit code 1 and one <c>vxrd: configuration: KEY: PROBLEM</c> line per problem,
/// all of them together, no stack trace.
/// </summary>
public sealed class VxrdStartupConfigurationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vxrd-config").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int ExitCode, string Stdout, string Stderr) Run(string keys, params string[] extra)
    {
        string path = Path.Combine(_dir, "vxrd.json");
        File.WriteAllText(path, $$"""
            {
              "RegistrationDaemon": {
                "ManagementSocket": "{{Path.Combine(_dir, "vxrd.sock")}}",
                "Metrics": { "Endpoint": "" },
                {{keys}}
              }
            }
            """);
        var result = DaemonRun.UntilExit(Path.Combine(AppContext.BaseDirectory, "vxrd.dll"), ["--config", path, .. extra], TimeSpan.FromSeconds(60));
        output.WriteLine($"exit {result.ExitCode}\n--- stderr\n{result.Stderr}--- stdout\n{result.Stdout}");
        return result;
    }

    private static void AssertRefused((int ExitCode, string Stdout, string Stderr) result, params string[] expected) =>
        DaemonRun.AssertConfigurationRefused(result, "vxrd", expected);

    [Theory]
    [InlineData("\"ServiceNode\": \"192.0.2.1\", \"Moode\": \"HeadEnd\"", "RegistrationDaemon:Moode: unknown key; did you mean Mode?")]
    [InlineData("\"ServiceNode\": \"192.0.2.1\", \"ControlPort\": [1,2]", "RegistrationDaemon:ControlPort: expected a number, got an array")]
    [InlineData("\"ServiceNode\": \"192.0.2.1\", \"ControlPort\": {\"a\":1}", "RegistrationDaemon:ControlPort: expected a number, got an object")]
    [InlineData("\"ServiceNode\": \"192.0.2.1\", \"HoldTime\": null", "RegistrationDaemon:HoldTime: expected a duration")]
    [InlineData("\"ServiceNode\": [\"192.0.2.1\"]", "RegistrationDaemon:ServiceNode: expected a string, got an array")]
    public void Start_Probe11_MisshapenOrMisspeltKey_ExitsOneNamingIt(string keys, string expected)
    {
        AssertRefused(Run(keys), expected);
    }

    [Fact]
    public void Start_SeveralProblems_ReportedTogetherOneLineEach()
    {
        var result = Run(
            """
            "ServiceNode": "192.0.2.1", "Moode": "HeadEnd", "Mode": "Bogus", "RefreshRate": 0,
            "Devices": "vx*", "HoldTme": "90s", "Authentication": { "ReplayCacheSize": [1] }, "MetricsEndpoint": "127.0.0.1:9502"
            """,
            "--RegistrationDaemon:ControlPort=0", "--RegistrationDaemon:Foo=1", "--RegistrationDaemon:Metrics:OtlpEndpoint=ftp://collector");

        AssertRefused(result,
            "RegistrationDaemon:Moode: unknown key; did you mean Mode?",
            "RegistrationDaemon:HoldTme: unknown key; did you mean HoldTime?",
            "RegistrationDaemon:Foo: unknown key; did you mean ",
            "RegistrationDaemon:Mode = 'Bogus': not a valid value",
            "RegistrationDaemon:RefreshRate '0' must be between 1 and 100",
            "RegistrationDaemon:ControlPort '0' must be between 1 and 65535",
            "RegistrationDaemon:Devices: expected a list",
            "RegistrationDaemon:Authentication:ReplayCacheSize: expected a number, got an array",
            "RegistrationDaemon:MetricsEndpoint: unknown key; it moved to RegistrationDaemon:Metrics:Endpoint",
            "RegistrationDaemon:Metrics:OtlpEndpoint: 'ftp://collector' is not an http:// or https:// URL");
    }
}
