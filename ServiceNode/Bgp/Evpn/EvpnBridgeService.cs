using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// Starts the bridge: connects the metrics, and (with <c>Export</c>) has the exporter announce the registry's
/// entries on the loop. Started after the registry loop, so the static entries are in place; the work item
/// waits in the loop's queue until then anyway.
/// </summary>
internal sealed class EvpnBridgeService : IHostedService
{
    private readonly EvpnExporter _exporter;
    private readonly EvpnImportTable _imports;
    private readonly IRegistryWriter _writer;
    private readonly EvpnMetrics _metrics;
    private readonly IBgpSpeaker _speaker;
    private readonly EvpnOptions _options;
    private readonly ILogger _logger;

    public EvpnBridgeService(EvpnExporter exporter, EvpnImportTable imports, IRegistryWriter writer, EvpnMetrics metrics, IBgpSpeaker speaker,
        Microsoft.Extensions.Options.IOptions<EvpnOptions> options, ILogger<EvpnBridgeService> logger)
    {
        _exporter = exporter ?? throw new ArgumentNullException(nameof(exporter));
        _imports = imports ?? throw new ArgumentNullException(nameof(imports));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _speaker = speaker ?? throw new ArgumentNullException(nameof(speaker));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _metrics.Observe(() => _exporter.Count, () => _imports.RouteCount);
        if (_options.Export) _writer.Post(_exporter.Start);
        EvpnLog.Started(_logger, _options.Export, _options.Import, _speaker.LocalAs);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
