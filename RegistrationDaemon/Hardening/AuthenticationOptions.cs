namespace Replicator.RegistrationDaemon.Hardening;

/// <summary>
/// Control-plane authentication of vxrd, configuration section <c>RegistrationDaemon</c>
/// (docs/readme/hardening.md). Read once at start; the key file's content is re-read when it changes.
/// </summary>
public sealed class AuthenticationOptions
{
    public const string SectionName = "RegistrationDaemon";

    /// <summary>
    /// Key file (lines <c>ID hex:KEY|base64:KEY [primary]</c>), the same format and normally the same
    /// keys as the service node's. When set, registrations are signed with the primary key and only
    /// peer lists signed with a listed key are accepted. Default none: no authentication.
    /// </summary>
    public string? AuthKeyFile { get; set; }

    /// <summary>Accepted difference between a signer's clock and ours. Default 30 s.</summary>
    public TimeSpan AuthMaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most nonces remembered to refuse replays. Default 16384 (a VTEP receives few peer lists).</summary>
    public int AuthReplayCacheSize { get; set; } = 16384;

    /// <summary>How often the key file is checked for changes. Default 10 s.</summary>
    public TimeSpan AuthKeyFileCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
