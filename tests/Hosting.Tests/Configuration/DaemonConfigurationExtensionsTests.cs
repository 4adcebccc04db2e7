using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class DaemonConfigurationExtensionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cfgtest").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AddDaemonConfiguration_MissingFile_ThrowsOneClearError()
    {
        string path = Path.Combine(_dir, "missing.json");
        var ex = Assert.Throws<DaemonConfigurationException>(() => new ConfigurationManager().AddDaemonConfiguration(path, []));
        Assert.Equal($"configuration file {path} does not exist", ex.Message);
    }

    [Fact]
    public void AddDaemonConfiguration_UnparsableFile_ThrowsErrorNamingFile()
    {
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, "{ \"Test\": { \"Port\": 1, }");
        var ex = Assert.Throws<DaemonConfigurationException>(() => new ConfigurationManager().AddDaemonConfiguration(path, []));
        Assert.StartsWith($"configuration file {path} is not valid JSON:", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void AddDaemonConfiguration_CommandLine_OverridesFile()
    {
        string path = Path.Combine(_dir, "ok.json");
        File.WriteAllText(path, """{ "Test": { "Port": 1, "Name": "file" } }""");
        var config = new ConfigurationManager();
        config.AddDaemonConfiguration(path, ["--Test:Port=2"]);
        Assert.Equal("2", config["Test:Port"]);
        Assert.Equal("file", config["Test:Name"]);
    }

    [Fact]
    public async Task JsonFileProvider_BadEditAfterStart_KeepsPreviousValues()
    {
        string path = Path.Combine(_dir, "reload.json");
        File.WriteAllText(path, """{ "Test": { "Port": 1 } }""");
        var config = new ConfigurationManager();
        ((IConfigurationBuilder)config).Add(new JsonFileSource(path) { ReloadDelay = TimeSpan.FromMilliseconds(20) });
        var provider = ((IConfigurationRoot)config).Providers.OfType<JsonFileProvider>().Single();
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ReloadFailed += (_, e) => failed.TrySetResult(e);
        provider.Reloaded += _ => reloaded.TrySetResult();

        File.WriteAllText(path, "{ not json");
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("1", config["Test:Port"]);

        File.WriteAllText(path, """{ "Test": { "Port": 3 } }""");
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("3", config["Test:Port"]);
    }

    [Fact]
    public async Task JsonFileProvider_ReloadFailingItsCheck_KeepsPreviousValues()
    {
        string path = Path.Combine(_dir, "checked.json");
        File.WriteAllText(path, """{ "Test": { "Port": 1 } }""");
        var config = new ConfigurationManager();
        ((IConfigurationBuilder)config).Add(new JsonFileSource(path) { ReloadDelay = TimeSpan.FromMilliseconds(20) });
        var provider = ((IConfigurationRoot)config).Providers.OfType<JsonFileProvider>().Single();
        provider.ReloadCheck = data => ConfigurationKeysCheck.Check(data, [ConfigurationSectionKeys.Of<TestOptions>("Test")]);
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Only the refusal under test: a watcher may also see the file half-written (not JSON yet).
        provider.ReloadFailed += (_, e) => { if (e.Message.Contains("unknown key", StringComparison.Ordinal)) failed.TrySetResult(e); };
        provider.Reloaded += _ => reloaded.TrySetResult();

        File.WriteAllText(path, """{ "Test": { "Port": 2, "Prot": 3, "Hold": [1] } }""");
        var error = Assert.IsType<DaemonConfigurationException>(await failed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Test:Prot: unknown key; did you mean Port?", error.Errors);
        Assert.Contains(error.Errors, e => e.StartsWith("Test:Hold: expected a duration", StringComparison.Ordinal));
        Assert.Equal("1", config["Test:Port"]);

        File.WriteAllText(path, """{ "Test": { "Port": 3 } }""");
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("3", config["Test:Port"]);
    }
}
