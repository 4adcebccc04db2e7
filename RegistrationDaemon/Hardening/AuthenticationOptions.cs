namespace Replicator.RegistrationDaemon.Hardening;

/// <summary>
/// Control-plane authentication of vxrd, configuration section <c>RegistrationDaemon</c>
/// (docs/security.md). Read once at start; the key file's content is re-read when it changes.
/// </summary>
public sealed class AuthenticationOptions
{
    public const string SectionName = "RegistrationDaemon";

    /// <summary>
    /// Key file (lines <c>ID hex:KEY|base64:KEY [primary]</c>), the same format and normally the same
    /// keys as the service node's. When set, registrations are signed with the primary key and only
    /// peer lists signed with a listed key are accepted. Default none, and then vxrd refuses to
    /// start unless <see cref="AllowUnauthenticated"/> is true. Create one with <c>vxrd keygen</c>.
    /// </summary>
    public string? AuthKeyFile { get; set; }

    /// <summary>
    /// True: run without <see cref="AuthKeyFile"/> (warned at every start, shown in status and by
    /// <c>vxrd_authentication_enabled</c> 0). With a key file: the roll-out transition, signs
    /// everything and accepts unsigned peer lists too. Default false.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>Accepted difference between a signer's clock and ours. Default 30 s.</summary>
    public TimeSpan AuthMaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most nonces remembered to refuse replays. Default 16384 (a VTEP receives few peer lists).</summary>
    public int AuthReplayCacheSize { get; set; } = 16384;

    /// <summary>How often the key file is checked for changes. Default 10 s.</summary>
    public TimeSpan AuthKeyFileCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
