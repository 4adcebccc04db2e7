using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Health;

namespace Replicator.Hosting.Systemd;

/// <summary>
/// Tells systemd (Type=notify) when the daemon is ready and when it stops, through
/// Microsoft.Extensions.Hosting.Systemd's <see cref="ISystemdNotifier"/>:
/// READY=1 once the host has started and every <see cref="ReadinessState"/> condition is met
/// (vxsnd may wait for its table pull), STATUS= lines naming the conditions still unmet while
/// waiting and whenever readiness changes later, STOPPING=1 when shutdown begins.
/// The package's own <c>UseSystemd</c> is not used: it says READY=1 as soon as the host has
/// started, before vxrd has loaded its links.
/// Does nothing when <c>$NOTIFY_SOCKET</c> is unset. A failed notification is logged, never fatal:
/// systemd's own start timeout handles a daemon that never gets through.
/// </summary>
public sealed class SystemdNotifyService : IHostedService, IDisposable
{
    private readonly ISystemdNotifier _notifier;
    private readonly ReadinessState _readiness;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _readySent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private CancellationTokenRegistration _started;
    private CancellationTokenRegistration _stoppingRegistration;
    private Task _readyTask = Task.CompletedTask;
    private string? _lastStatus;
    private bool _sentReady;

    public SystemdNotifyService(ISystemdNotifier notifier, ReadinessState readiness, IHostApplicationLifetime lifetime, ILogger<SystemdNotifyService> logger)
    {
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _readiness = readiness ?? throw new ArgumentNullException(nameof(readiness));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Completes once READY=1 has been sent (or the wait was cancelled); for tests.</summary>
    internal Task ReadyTask => _readyTask;

    /// <summary>Completes once READY=1 has been sent; never when systemd is not listening. The watchdog starts after it.</summary>
    internal Task ReadySent => _readySent.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_notifier.IsEnabled)
        {
            SystemdLog.NotUnderSystemd(_logger);
            return Task.CompletedTask;
        }

        _readiness.Changed += OnReadinessChanged;
        _started = _lifetime.ApplicationStarted.Register(() =>
        {
            // Token callbacks run in reverse registration order, so HostStartedReadinessService
            // may not have run yet; meeting the condition here (idempotent) keeps the first
            // STATUS line from naming it.
            _readiness.Set(ReadinessState.HostStarted, true);
            _readyTask = NotifyWhenReadyAsync();
        });
        _stoppingRegistration = _lifetime.ApplicationStopping.Register(() =>
        {
            _stopping.Cancel();
            Send("STOPPING=1\nSTATUS=stopping");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _readiness.Changed -= OnReadinessChanged;
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _started.Dispose();
        _stoppingRegistration.Dispose();
        _stopping.Dispose();
    }

    private async Task NotifyWhenReadyAsync()
    {
        SendStatus();
        try
        {
            await _readiness.WaitUntilReadyAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_sentReady)
            {
                return;
            }

            _sentReady = true;
            _lastStatus = "ready";
        }

        Send("READY=1\nSTATUS=ready");
        _readySent.TrySetResult();
    }

    private void OnReadinessChanged(ReadinessState state)
    {
        // Before READY=1 the status shows what startup waits for; afterwards, losses and recoveries.
        if (_lifetime.ApplicationStarted.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            SendStatus();
        }
    }

    private void SendStatus()
    {
        var unmet = _readiness.UnmetConditions();
        string status = unmet.Count == 0 ? "ready" : "waiting for: " + string.Join(", ", unmet);
        lock (_gate)
        {
            if (status == _lastStatus || (status == "ready" && !_sentReady))
            {
                // "ready" is announced together with READY=1.
                return;
            }

            _lastStatus = status;
        }

        Send("STATUS=" + status);
    }

    private void Send(string state)
    {
        if (SystemdSend.TrySend(_notifier, state, _logger))
        {
            SystemdLog.Notified(_logger, state.Replace('\n', ' '));
        }
    }
}
