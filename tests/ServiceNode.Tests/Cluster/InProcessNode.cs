using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Cluster;

/// <summary>
/// A service node (options, registry, cluster, control) hosted in the test process on its own
/// loopback address (127.0.0.0/8 is all local), so several talk over real sockets without root.
/// </summary>
internal sealed class InProcessNode : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessNode(IHost host, IPAddress address)
    {
        _host = host;
        Address = address;
    }

    public IPAddress Address { get; }

    public IServiceProvider Services => _host.Services;

    public ClusterStatusResponse Status => Services.GetRequiredService<ClusterStatus>().Get();

    public static async Task<InProcessNode> StartAsync(IPAddress address, int controlPort, int syncPort, IEnumerable<IPAddress> peers, string directory,
        TimeSpan? syncTimeout = null, string? authKeyFile = null, IPAddress? anycast = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ServiceNode:ControlAddress"] = address.ToString(),
            ["ServiceNode:Registry:AllowLoopbackVteps"] = "true", // VTEPs and nodes share the loopback here
            ["ServiceNode:ControlPort"] = controlPort.ToString(),
            ["ServiceNode:Cluster:SyncPort"] = syncPort.ToString(),
            ["ServiceNode:Cluster:SyncTimeout"] = (syncTimeout ?? TimeSpan.FromSeconds(3)).ToString(),
            ["ServiceNode:Cluster:KeepaliveInterval"] = "00:00:00.200",
            ["ServiceNode:Registry:StaticEntriesFile"] = Path.Combine(directory, $"static-{address}"),
            ["ServiceNode:Metrics:Endpoint"] = "",
            ["ServiceNode:Authentication:KeyFile"] = authKeyFile,
            ["ServiceNode:Cluster:AnycastAddress"] = anycast?.ToString(),
        };
        int i = 0;
        foreach (var peer in peers) settings[$"ServiceNode:Cluster:Peers:{i++}"] = peer.ToString();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddServiceNodeOptions().AddRegistry().AddCluster().AddControl();
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StartAsync(timeout.Token);
        return new InProcessNode(host, address);
    }

    public Task<T> OnLoop<T>(Func<ServiceNode.Registry.Registry, T> work) => Services.GetRequiredService<IRegistryWriter>().InvokeAsync(work);

    public IPEndPoint ControlEndPoint => Services.GetRequiredService<ControlSocket>().LocalEndPoint!;

    /// <summary>The anycast control endpoint, or null when started without one.</summary>
    public IPEndPoint? AnycastEndPoint => Services.GetRequiredService<ControlSocket>().AnycastEndPoint;

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
