using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Replicator.RegistrationDaemon.Configuration;

/// <summary>
/// Follows configuration reloads for the reloadable keys. Each reload is bound and validated as
/// a whole; an invalid one is logged and the last good snapshot stays in force (IOptionsMonitor
/// cannot surface that failure: dotnet/runtime#44381).
/// </summary>
public sealed partial class RuntimeSettingsMonitor : IRuntimeSettingsSource, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IValidateOptions<RegistrationDaemonOptions> _validator;
    private readonly ILogger<RuntimeSettingsMonitor> _logger;
    private readonly IDisposable _subscription;
    private volatile RuntimeSettings _current;

    public RuntimeSettingsMonitor(IConfiguration configuration, IOptions<RegistrationDaemonOptions> initial,
        IValidateOptions<RegistrationDaemonOptions> validator, ILogger<RuntimeSettingsMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(initial);
        _configuration = configuration;
        _validator = validator ?? throw new ArgumentNullException(nameof(validator));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _current = RuntimeSettings.From(initial.Value);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public RuntimeSettings Current => _current;

    public event Action<RuntimeSettings>? Changed;

    /// <summary>Binds and validates the section again; public so tests can force a reload.</summary>
    public void Reload()
    {
        var options = new RegistrationDaemonOptions();
        try
        {
            _configuration.GetSection(RegistrationDaemonOptions.SectionName).Bind(options);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            LogReloadRejected(_logger, e.Message);
            return;
        }
        var result = _validator.Validate(null, options);
        if (result.Failed)
        {
            LogReloadRejected(_logger, result.FailureMessage);
            return;
        }
        var next = RuntimeSettings.From(options);
        if (next == _current) return;
        var previous = _current;
        _current = next;
        LogReloaded(_logger, previous.Mode, next.Mode, next.HoldTime.TotalSeconds, next.RefreshRate);
        Changed?.Invoke(next);
    }

    public void Dispose() => _subscription.Dispose();

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Configuration reload rejected, keeping the last good settings: {Reason}")]
    private static partial void LogReloadRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Configuration reloaded: mode {PreviousMode} -> {Mode}, hold time {HoldTimeSeconds} s, refresh rate {RefreshRate}")]
    private static partial void LogReloaded(ILogger logger, ReplicationMode previousMode, ReplicationMode mode, double holdTimeSeconds, int refreshRate);
}
