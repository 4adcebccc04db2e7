using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Systemd;
using Replicator.Linux.Links;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>
/// The one loop that owns <see cref="DaemonCore"/>: link events, peer lists, settings changes
/// and flush requests are queued here and applied one at a time, with the core's timer work in
/// between. On stop (SIGTERM) it withdraws the registrations and leaves kernel entries alone.
/// </summary>
internal sealed partial class DaemonLoop : BackgroundService
{
    private readonly DaemonCore _core;
    private readonly ILinkSource _links;
    private readonly IControlChannel _control;
    private readonly IRuntimeSettingsSource _settings;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<DaemonLoop> _logger;
    private readonly Channel<DaemonEvent> _events = Channel.CreateUnbounded<DaemonEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Heartbeat? _heartbeat;

    public DaemonLoop(DaemonCore core, ILinkSource links, IControlChannel control, IRuntimeSettingsSource settings, TimeProvider time,
        IHostApplicationLifetime lifetime, ILogger<DaemonLoop> logger, WatchdogHeartbeats? heartbeats = null)
    {
        _core = core ?? throw new ArgumentNullException(nameof(core));
        _links = links ?? throw new ArgumentNullException(nameof(links));
        _control = control ?? throw new ArgumentNullException(nameof(control));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        // The watchdog's probe wakes an idle loop (its next deadline may be minutes away).
        _heartbeat = heartbeats?.Register("daemon loop", () => Post(DaemonEvent.Probe.Instance));
    }

    public DaemonSnapshot Snapshot => _core.Snapshot;

    /// <summary>Completes once the first link dump was applied (for readiness).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Queues a flush and waits for the loop to carry it out; returns the number of entries deleted.</summary>
    public Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_events.Writer.TryWrite(new DaemonEvent.Flush(done))) throw new InvalidOperationException("vxrd is stopping");
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues an event (also used by tests).</summary>
    public bool Post(DaemonEvent e) => _events.Writer.TryWrite(e);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _settings.Changed += OnSettingsChanged;
        var pumps = new[]
        {
            Task.Run(() => PumpAsync("link watcher", PumpLinksAsync, stoppingToken), CancellationToken.None),
            Task.Run(() => PumpAsync("control channel", PumpControlAsync, stoppingToken), CancellationToken.None),
        };
        var reader = _events.Reader;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var delay = _core.NextDue - _time.GetUtcNow();
                if (delay > TimeSpan.Zero && !reader.TryPeek(out _))
                {
                    // Cap the wait so a far-away deadline never overflows the timer.
                    if (delay > TimeSpan.FromHours(1)) delay = TimeSpan.FromHours(1);
                    using var timeout = new CancellationTokenSource(delay, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
                    try
                    {
                        await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }
                while (reader.TryRead(out var e)) Handle(e);
                Step(_core.OnTimer);
                _core.Publish();
                _heartbeat?.Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _settings.Changed -= OnSettingsChanged;
            _events.Writer.TryComplete();
            while (reader.TryRead(out var e))
            {
                if (e is DaemonEvent.Flush f) f.Done.TrySetCanceled();
            }
            Step(_core.Shutdown);
            _core.Publish();
            LogStopped(_logger);
        }
        try
        {
            // A receive that ignores cancellation must not hold up the shutdown.
            await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private void OnSettingsChanged(RuntimeSettings s) => _events.Writer.TryWrite(new DaemonEvent.Settings(s));

    private void Handle(DaemonEvent e)
    {
        switch (e)
        {
            case DaemonEvent.Links l:
                Step(() => _core.OnLinks(l.Event));
                if (l.Event.Kind == LinkEventKind.Resync) _ready.TrySetResult();
                break;
            case DaemonEvent.PeerList p:
                Step(() => _core.OnPeerList(p.Update));
                break;
            case DaemonEvent.Settings s:
                Step(() => _core.OnSettings(s.Value));
                break;
            case DaemonEvent.Flush f:
                try
                {
                    f.Done.TrySetResult(_core.Flush());
                }
                catch (Exception ex)
                {
                    f.Done.TrySetException(ex);
                }
                break;
        }
    }

    // A bug in one step must not take the data plane down with it: log it and keep the loop alive.
    private void Step(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStepFailed(_logger, ex);
        }
    }

    private async Task PumpLinksAsync(CancellationToken ct)
    {
        await foreach (var e in _links.WatchAsync(ct).ConfigureAwait(false)) _events.Writer.TryWrite(new DaemonEvent.Links(e));
    }

    private async Task PumpControlAsync(CancellationToken ct)
    {
        await foreach (var u in _control.ReceiveAsync(ct).ConfigureAwait(false)) _events.Writer.TryWrite(new DaemonEvent.PeerList(u));
    }

    private async Task PumpAsync(string name, Func<CancellationToken, Task> pump, CancellationToken ct)
    {
        try
        {
            await pump(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // Without kernel events or the control socket vxrd would silently go stale: stop with
            // a non-zero exit code so systemd restarts it (entries stay in place meanwhile).
            LogPumpFailed(_logger, name, ex);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
            return;
        }
        if (!ct.IsCancellationRequested)
        {
            LogPumpEnded(_logger, name);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = RegistrationDaemonEventIds.StepFailed, Level = LogLevel.Error, Message = "Daemon step failed; continuing")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.PumpFailed, Level = LogLevel.Critical, Message = "The {Source} failed; stopping so the service manager restarts vxrd (kernel entries stay)")]
    private static partial void LogPumpFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.PumpEnded, Level = LogLevel.Critical, Message = "The {Source} ended unexpectedly; stopping")]
    private static partial void LogPumpEnded(ILogger logger, string source);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.LoopStopped, Level = LogLevel.Information, Message = "Stopped: registrations withdrawn, kernel entries left in place")]
    private static partial void LogStopped(ILogger logger);
}
