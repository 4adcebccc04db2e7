using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;

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
        Assert.All(lines, l => Assert.StartsWith("testd: Test:", l));
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
