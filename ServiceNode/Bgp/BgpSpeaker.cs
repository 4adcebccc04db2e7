using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The speaker: the exported route set and one <see cref="BgpSession"/> per configured peer, each
/// on its own task. With <c>ServiceNode:Bgp:Enabled</c> false it runs no session, and the set
/// (which the EVPN bridge may still fill) goes nowhere.
/// </summary>
internal sealed class BgpSpeaker : IBgpSpeaker, IHostedService
{
    private readonly BgpExportTable _exports = new();
    private readonly IReadOnlyList<BgpSession> _sessions;
    private readonly ILogger<BgpSpeaker> _logger;
    private readonly BgpSettings? _settings;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _running = [];

    public BgpSpeaker(IOptions<BgpOptions> options, IReloadableOptions<ServiceNodeOptions> serviceNode, IEnumerable<IBgpRouteListener> listeners,
        BgpMetrics metrics, TimeProvider time, ILogger<BgpSpeaker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serviceNode);
        ArgumentNullException.ThrowIfNull(metrics);
        _logger = logger;
        if (!options.Value.Enabled)
        {
            _sessions = [];
            return;
        }
        _settings = BgpSettings.From(options.Value, serviceNode.Current.ControlAddress);
        IBgpRouteListener[] all = [.. listeners];
        _sessions = [.. _settings.Peers.Select(p => new BgpSession(p, _settings, _exports, all, metrics, time, logger))];
        metrics.Observe(() => _sessions);
    }

    public IReadOnlyList<BgpSessionStatus> Sessions => [.. _sessions.Select(s => s.Status)];

    /// <summary>The sessions themselves, for status details the interface does not carry.</summary>
    public IReadOnlyList<BgpSession> SessionDetails => _sessions;

    public int ExportedRoutes => _exports.Count;

    /// <summary>Our AS (0 while the speaker is off): the EVPN bridge derives route targets from it.</summary>
    public uint LocalAs => _settings?.LocalAs ?? 0;

    public void Announce(EvpnMulticastRoute route) => _exports.Announce(route);

    public void Withdraw(EvpnMulticastRouteKey key) => _exports.Withdraw(key);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_settings is null) return Task.CompletedTask;
        BgpLog.Started(_logger, _settings.LocalAs, BgpSettings.RouterIdText(_settings.RouterId), _sessions.Count, _settings.HoldTimeSeconds,
            _settings.Md5Key is null ? "off" : "on");
        _running = [.. _sessions.Select(s => Task.Run(() => s.RunAsync(_stopping.Token), CancellationToken.None))];
        return Task.CompletedTask;
    }

    /// <summary>Every open session sends Cease (administrative shutdown) and closes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
