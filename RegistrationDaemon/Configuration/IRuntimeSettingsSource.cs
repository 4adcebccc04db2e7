namespace Replicator.RegistrationDaemon.Configuration;

/// <summary>The current valid reloadable settings and a notification when they change.</summary>
internal interface IRuntimeSettingsSource
{
    RuntimeSettings Current { get; }

    /// <summary>Raised (on any thread) after <see cref="Current"/> changed to a new valid value.</summary>
    event Action<RuntimeSettings>? Changed;
}
