using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Systemd;

/// <summary>
/// Sends systemd <c>WATCHDOG=1</c> every third of the watchdog timeout, but only while every loop
/// registered in <see cref="WatchdogHeartbeats"/> made progress since the previous tick: a wedged
/// loop stops the keep-alives, and systemd kills and restarts the daemon (<c>Restart=always</c>)
/// at most one period plus the timeout later. Starts after READY=1 (systemd judges the start by
/// <c>TimeoutStartSec=</c>, not the watchdog) and only when systemd asked for keep-alives
/// (<see cref="SystemdWatchdog"/>).
/// </summary>
public sealed class SystemdWatchdogService : BackgroundService
{
    private readonly ISystemdNotifier _notifier;
    private readonly SystemdNotifyService _notify;
    private readonly WatchdogHeartbeats _heartbeats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _stalled;

    /// <param name="timeout">systemd's watchdog timeout (<c>$WATCHDOG_USEC</c>).</param>
    public SystemdWatchdogService(ISystemdNotifier notifier, SystemdNotifyService notify, WatchdogHeartbeats heartbeats,
        TimeSpan timeout, ILogger<SystemdWatchdogService> logger, TimeProvider? time = null)
    {
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _notify = notify ?? throw new ArgumentNullException(nameof(notify));
        _heartbeats = heartbeats ?? throw new ArgumentNullException(nameof(heartbeats));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        // A third, not the half sd_watchdog_enabled(3) suggests: a tick delayed by a busy machine
        // must not cost the daemon its life.
        Period = timeout / 3;
    }

    /// <summary>Time between two ticks (and two keep-alives while healthy).</summary>
    public TimeSpan Period { get; }

    /// <summary>The loops that stalled at the last tick, comma-separated; null while all make progress.</summary>
    public string? Stalled => Volatile.Read(ref _stalled);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _notify.ReadySent.WaitAsync(stoppingToken).ConfigureAwait(false);
            SystemdLog.WatchdogEnabled(_logger, Period.TotalSeconds * 3, Period.TotalSeconds, string.Join(", ", _heartbeats.Names()));
            using var timer = new PeriodicTimer(Period, _time);
            do
            {
                Tick();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Tick()
    {
        var stalled = _heartbeats.TakeStalled();
        if (stalled.Count == 0)
        {
            SystemdSend.TrySend(_notifier, "WATCHDOG=1", _logger);
            if (Interlocked.Exchange(ref _stalled, null) is not null)
            {
                SystemdLog.LoopsRecovered(_logger);
            }

            return;
        }

        string names = string.Join(", ", stalled);
        if (Interlocked.Exchange(ref _stalled, names) != names)
        {
            SystemdLog.LoopsStalled(_logger, names, Period.TotalSeconds);
        }
    }
}
