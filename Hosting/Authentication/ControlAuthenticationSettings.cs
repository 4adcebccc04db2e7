namespace Replicator.Hosting.Authentication;

/// <summary>
/// A daemon's control-authentication settings, resolved from its <see cref="ControlAuthenticationOptions"/>
/// (with the daemon's default replay cache size) by <see cref="ControlAuthenticationExtensions.AddControlAuthentication"/>.
/// </summary>
/// <param name="KeyFile">Absolute path of the key file; null or empty: authentication off (refused at start unless <paramref name="AllowUnauthenticated"/>).</param>
/// <param name="MaxClockSkew">Accepted difference between a signer's clock and ours.</param>
/// <param name="ReplayCacheSize">Most nonces remembered.</param>
/// <param name="KeyFileCheckInterval">How often the file is checked for changes.</param>
/// <param name="KeyFileOptionName">The configuration key, for messages (e.g. "ServiceNode:Authentication:KeyFile").</param>
/// <param name="AllowUnauthenticated">
/// The operator's opt-out: without a key file the daemon runs unauthenticated (warned at every
/// start); with one it signs everything and also accepts unsigned datagrams (the transition while
/// keys are rolled out). False: a key file is required.
/// </param>
/// <param name="DaemonName">"vxsnd" or "vxrd": names the gauge (<c>{DaemonName}.authentication.enabled</c>) and the keygen command in messages.</param>
public sealed record ControlAuthenticationSettings(
    string? KeyFile,
    TimeSpan MaxClockSkew,
    int ReplayCacheSize,
    TimeSpan KeyFileCheckInterval,
    string KeyFileOptionName,
    bool AllowUnauthenticated = false,
    string DaemonName = "")
{
    /// <summary>The opt-out's configuration key, next to <see cref="KeyFileOptionName"/> (e.g. "ServiceNode:Authentication:AllowUnauthenticated").</summary>
    public string AllowUnauthenticatedOptionName
    {
        get
        {
            int colon = KeyFileOptionName.LastIndexOf(':');
            return (colon < 0 ? "" : KeyFileOptionName[..(colon + 1)]) + "AllowUnauthenticated";
        }
    }
}
