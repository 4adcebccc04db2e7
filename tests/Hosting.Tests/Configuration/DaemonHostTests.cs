using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Metrics;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class DaemonHostTests
{
    [Fact]
    public async Task RunAsync_InvalidOptions_ExitsOneWithEveryErrorOnStderr()
    {
        var builder = DaemonHost.CreateBuilder("testd", null, ["--Test:Port=0", "--Test:Hold=soon"]);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TestOptions>, TestOptionsValidator>());
        builder.Services.AddReloadableOptions<TestOptions>("Test");
        using var host = builder.Build();
        var stderr = new StringWriter();

        int code = await DaemonHost.RunAsync(host, "testd", stderr);

        Assert.Equal(1, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("testd: configuration: Test:", l));
    }

    [Fact]
    public async Task RunAsync_UnknownKeyBadShapeBadValueAndBadEndpoint_ReportsAllTogetherOncePerLine()
    {
        var builder = DaemonHost.CreateBuilder("vxsnd", null,
            ["--Test:Prot=1", "--Test:Port=0", "--Test:Hold:0=1s", "--Test:MetricsEndpoint=nowhere", "--Logging:LogLevel:Default=None"]);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TestOptions>, TestOptionsValidator>());
        builder.Services.AddReloadableOptions<TestOptions>("Test");
        builder.Services.AddStartupOptions<TestOptions>("Test"); // a second class of the same section: the same lines, once
        builder.AddObservabilityFromConfiguration("vxsnd", "Test", []);
        using var host = builder.Build();
        var stderr = new StringWriter();

        int code = await DaemonHost.RunAsync(host, "vxsnd", stderr);

        Assert.Equal(1, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("vxsnd: configuration: Test:Prot: unknown key; did you mean Port?", lines);
        Assert.Contains(lines, l => l.StartsWith("vxsnd: configuration: Test:Port = '0'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("vxsnd: configuration: Test:Hold: expected a duration", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("vxsnd: configuration: Test:MetricsEndpoint: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MisspeltSectionInFileOrCommandLine_Refused()
    {
        string dir = Directory.CreateTempSubdirectory("daemonhost").FullName;
        try
        {
            string path = Path.Combine(dir, "testd.json");
            File.WriteAllText(path, """{ "Tset": { "Port": 1 }, "Logging": { "LogLevel": { "Default": "None" } } }""");
            var builder = DaemonHost.CreateBuilder("testd", path, ["--Tets:Port=2"]);
            builder.Services.AddReloadableOptions<TestOptions>("Test");
            using var host = builder.Build();
            var stderr = new StringWriter();

            Assert.Equal(1, await DaemonHost.RunAsync(host, "testd", stderr));

            var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["testd: configuration: Tset: unknown section; did you mean Test?", "testd: configuration: Tets: unknown section; did you mean Test?"], lines);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_ReloadWithUnknownKeyOrBadShape_RefusedAndLastGoodStays()
    {
        string dir = Directory.CreateTempSubdirectory("daemonhost").FullName;
        try
        {
            string path = Path.Combine(dir, "testd.json");
            File.WriteAllText(path, """{ "Test": { "Port": 1 } }""");
            var builder = DaemonHost.CreateBuilder("testd", path, ["--Logging:LogLevel:Default=None"]);
            builder.Services.AddReloadableOptions<TestOptions>("Test");
            using var host = builder.Build();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = DaemonHost.RunAsync(host, "testd", new StringWriter(), cts.Token);
            var options = host.Services.GetRequiredService<IReloadableOptions<TestOptions>>();
            var provider = ((Microsoft.Extensions.Configuration.IConfigurationRoot)host.Services
                .GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()).Providers.OfType<JsonFileProvider>().Single();
            var refused = new List<string>();
            provider.ReloadFailed += (_, e) => { lock (refused) refused.Add(e.Message); };
            while (provider.ReloadCheck is null) await Task.Delay(10, cts.Token); // armed when the host has started

            foreach (string bad in new[] { """{ "Test": { "Port": 2, "Prot": 3 } }""", """{ "Test": { "Port": [2] } }""", """{ "Test": { "Port": null } }""", """{ "Test": { "Port": 2 }, "Tset": { } }""" })
            {
                int before;
                lock (refused) before = refused.Count(m => m.Contains("Test:", StringComparison.Ordinal) || m.Contains("Tset:", StringComparison.Ordinal));
                File.WriteAllText(path, bad);
                while (true)
                {
                    lock (refused) if (refused.Count(m => m.Contains("Test:", StringComparison.Ordinal) || m.Contains("Tset:", StringComparison.Ordinal)) > before) break;
                    await Task.Delay(10, cts.Token);
                }
                Assert.Equal(1, options.Current.Port);
            }

            File.WriteAllText(path, """{ "Test": { "Port": 4 } }""");
            while (options.Current.Port != 4) await Task.Delay(10, cts.Token);
            Assert.False(run.IsCompleted);
            await cts.CancelAsync();
            Assert.Equal(0, await run);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_Cancelled_ExitsZero()
    {
        var builder = DaemonHost.CreateBuilder("testd", null, []);
        builder.Services.AddReloadableOptions<TestOptions>("Test");
        using var host = builder.Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, await DaemonHost.RunAsync(host, "testd", new StringWriter(), cts.Token));
    }

    private sealed class CrashingService : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public async Task RunAsync_BackgroundServiceCrashes_ExitsOne()
    {
        var builder = DaemonHost.CreateBuilder("testd", null, ["--Logging:LogLevel:Default=None"]);
        builder.Services.AddHostedService<CrashingService>();
        using var host = builder.Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await DaemonHost.RunAsync(host, "testd", new StringWriter(), cts.Token));
        Assert.False(cts.IsCancellationRequested);
    }
}
