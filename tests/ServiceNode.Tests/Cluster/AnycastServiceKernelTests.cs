using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Cluster;

[Collection(KernelCollection.Name)]
public sealed class AnycastServiceKernelTests
{
    private const string Anycast = "203.0.113.9";

    private sealed class Fixed<T>(T value) : IReloadableOptions<T> where T : class
    {
        public T Current => value;

        public event Action<T>? Changed { add { } remove { } }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public readonly CancellationTokenSource Started = new(), Stopping = new(), Stopped = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => Stopped.Token;

        public void StopApplication() => Stopping.Cancel();
    }

    [KernelFact]
    public void Lifecycle_StaleRemovedInstalledWhileReadyWithdrawnForGoodRemovedOnStop()
    {
        using var ns = NetworkNamespace.Create("clany");
        ns.Exec("ip", "addr", "add", $"{Anycast}/32", "dev", "lo"); // left behind by a killed predecessor
        bool Present() => ns.Exec("ip", "-4", "addr", "show", "dev", "lo").Contains($"{Anycast}/32", StringComparison.Ordinal);

        var options = new Fixed<ClusterOptions>(new ClusterOptions { AnycastAddress = Anycast, InstallAnycast = true });
        var state = new ClusterState(options, new Fixed<ServiceNodeOptions>(new ServiceNodeOptions()), TimeProvider.System);
        var readiness = new ReadinessState();
        var dataPlane = readiness.Register("data plane");
        using var provider = new ServiceCollection().AddSingleton(readiness).BuildServiceProvider();
        var lifetime = new Lifetime();
        using var service = new AnycastService(options, state, lifetime, NullLogger<AnycastService>.Instance, provider);

        // The netlink socket is opened in StartAsync, so inside the namespace.
        NamespaceThread.Run(ns.Name, () => { service.StartAsync(default).GetAwaiter().GetResult(); return 0; });
        Assert.False(Present()); // stale copy removed: not announced while syncing

        state.Readiness.MarkSynced();
        readiness.Set(ReadinessState.HostStarted, true);
        lifetime.Started.Cancel();
        Assert.False(Present()); // "data plane" unmet: not ready
        dataPlane.MarkMet();
        Assert.True(Present());
        Assert.True(service.Installed);

        dataPlane.MarkUnmet(); // a feature reports trouble: the fabric must stop sending here
        Assert.False(Present());
        dataPlane.MarkMet();
        Assert.True(Present());

        service.Withdraw("data plane failed");
        Assert.False(Present());
        dataPlane.MarkUnmet();
        dataPlane.MarkMet();
        Assert.False(Present()); // for good, until restart
        Assert.Equal("data plane failed", service.WithdrawnBecause);

        lifetime.Stopping.Cancel();
        service.StopAsync(default).GetAwaiter().GetResult();
        Assert.False(Present());
    }

    [KernelFact]
    public void Stopping_Installed_RemovedBeforeServicesStop()
    {
        using var ns = NetworkNamespace.Create("clany");
        bool Present() => ns.Exec("ip", "-4", "addr", "show", "dev", "lo").Contains($"{Anycast}/32", StringComparison.Ordinal);
        var options = new Fixed<ClusterOptions>(new ClusterOptions { AnycastAddress = Anycast, InstallAnycast = true });
        var state = new ClusterState(options, new Fixed<ServiceNodeOptions>(new ServiceNodeOptions()), TimeProvider.System);
        var lifetime = new Lifetime();
        using var service = new AnycastService(options, state, lifetime, NullLogger<AnycastService>.Instance); // no readiness feature

        NamespaceThread.Run(ns.Name, () => { service.StartAsync(default).GetAwaiter().GetResult(); return 0; });
        state.Readiness.MarkSynced();
        lifetime.Started.Cancel();
        Assert.True(Present());

        lifetime.Stopping.Cancel();
        Assert.False(Present());
    }
}
