using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Keeps the last good value of one configuration section. <c>IOptionsMonitor.OnChange</c> cannot
/// surface validation failures (dotnet/runtime#44381), so this binds and validates itself: at
/// start the errors are kept for <see cref="IStartupCheck"/> (start-up stops, naming every key and
/// value); on a later reload they are logged and the previous value stays in force.
/// </summary>
public sealed partial class ReloadableOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions> : IReloadableOptions<TOptions>, IDisposable
    where TOptions : class, new()
{
    private readonly IConfigurationSection _section;
    private readonly IValidateOptions<TOptions>[] _validators;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private volatile TOptions _current;
    private KeyValuePair<string, string?>[] _lastRaw;

    public ReloadableOptions(IConfiguration configuration, string sectionName, IEnumerable<IValidateOptions<TOptions>> validators, ILogger<ReloadableOptions<TOptions>> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sectionName);
        _section = configuration.GetSection(sectionName);
        _validators = [.. validators ?? throw new ArgumentNullException(nameof(validators))];
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _lastRaw = Raw();
        (_current, StartupErrors) = BindAndValidate();
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, OnConfigurationReloaded);
    }

    public TOptions Current => _current;

    public event Action<TOptions>? Changed;

    public string SectionName => _section.Path;

    /// <summary>Errors of the value read at construction (empty when valid).</summary>
    public IReadOnlyList<string> StartupErrors { get; }

    private (TOptions Value, IReadOnlyList<string> Errors) BindAndValidate()
    {
        var errors = new List<string>();
        TOptions value = OptionsBinder.BindAndValidate(_section, _validators, errors);
        return (value, errors);
    }

    private KeyValuePair<string, string?>[] Raw() =>
        [.. _section.AsEnumerable().OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)];

    private void OnConfigurationReloaded()
    {
        // Reload tokens fire for any change in any source; only a change of this section matters.
        var raw = Raw();
        if (raw.SequenceEqual(_lastRaw)) return;
        _lastRaw = raw;

        var (value, errors) = BindAndValidate();
        if (errors.Count > 0)
        {
            Log.ReloadRejected(_logger, _section.Path, string.Join("; ", errors));
            return;
        }
        _current = value;
        Log.Reloaded(_logger, _section.Path);
        try
        {
            Changed?.Invoke(value);
        }
        catch (Exception ex)
        {
            // A listener's bug must not kill the configuration reload thread.
            Log.ListenerFailed(_logger, _section.Path, ex);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.OptionsReloadRejected, Level = LogLevel.Error,
            Message = "Configuration reload of section {Section} rejected, previous values stay in force: {Errors}")]
        public static partial void ReloadRejected(ILogger logger, string section, string errors);

        [LoggerMessage(EventId = HostingEventIds.OptionsReloaded, Level = LogLevel.Information,
            Message = "Configuration section {Section} reloaded")]
        public static partial void Reloaded(ILogger logger, string section);

        [LoggerMessage(EventId = HostingEventIds.OptionsListenerFailed, Level = LogLevel.Error,
            Message = "A listener of configuration section {Section} failed")]
        public static partial void ListenerFailed(ILogger logger, string section, Exception exception);
    }
}
