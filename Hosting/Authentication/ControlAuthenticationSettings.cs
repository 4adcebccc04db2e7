namespace Replicator.Hosting.Authentication;

/// <summary>
/// A daemon's control-authentication settings, mapped from its own options section.
/// </summary>
/// <param name="KeyFile">Absolute path of the key file; null or empty: authentication off.</param>
/// <param name="MaxClockSkew">Accepted difference between a signer's clock and ours.</param>
/// <param name="ReplayCacheSize">Most nonces remembered.</param>
/// <param name="KeyFileCheckInterval">How often the file is checked for changes.</param>
/// <param name="KeyFileOptionName">The configuration key, for messages (e.g. "ServiceNode:AuthKeyFile").</param>
public sealed record ControlAuthenticationSettings(
    string? KeyFile,
    TimeSpan MaxClockSkew,
    int ReplayCacheSize,
    TimeSpan KeyFileCheckInterval,
    string KeyFileOptionName);
