using Replicator.Hosting.Configuration;

namespace Replicator.RegistrationDaemon.Configuration;

/// <summary>
/// The reloadable keys (Mode, HoldTime, RefreshRate) out of the shared last-good options
/// snapshot: a reload that fails validation never gets here, and one that changes none of these
/// keys raises nothing.
/// </summary>
internal sealed class ReloadableRuntimeSettings : IRuntimeSettingsSource, IDisposable
{
    private readonly IReloadableOptions<RegistrationDaemonOptions> _options;
    private readonly object _gate = new();
    private RuntimeSettings _current;

    public ReloadableRuntimeSettings(IReloadableOptions<RegistrationDaemonOptions> options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _current = RuntimeSettings.From(options.Current);
        _options.Changed += OnChanged;
    }

    public RuntimeSettings Current
    {
        get { lock (_gate) return _current; }
    }

    public event Action<RuntimeSettings>? Changed;

    private void OnChanged(RegistrationDaemonOptions options)
    {
        var next = RuntimeSettings.From(options);
        lock (_gate)
        {
            if (next == _current) return;
            _current = next;
        }
        Changed?.Invoke(next);
    }

    public void Dispose() => _options.Changed -= OnChanged;
}
