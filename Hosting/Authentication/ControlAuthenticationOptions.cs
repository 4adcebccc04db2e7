using Replicator.Hosting.Configuration;
namespace Replicator.Hosting.Authentication;

/// <summary>
/// Control-message authentication of either daemon, configuration section
/// <c>ServiceNode:Authentication</c> (vxsnd) or <c>RegistrationDaemon:Authentication</c> (vxrd), see
/// docs/security.md. Read once at start; the key file's content is re-read when it changes.
/// </summary>
public sealed class ControlAuthenticationOptions
{
    /// <summary>The subsection of the daemon's section these keys live in.</summary>
    public const string SectionName = "Authentication";

    /// <summary>
    /// Key file (lines <c>ID hex:KEY|base64:KEY [primary]</c>, see <see cref="AuthKeyFileFormat"/>),
    /// normally the same on every vxsnd and vxrd. When set, every control datagram sent is signed
    /// with the primary key and only datagrams signed with a listed key are accepted. Default none,
    /// and then the daemon refuses to start unless <see cref="AllowUnauthenticated"/> is true. Its
    /// content is re-read when the file changes (rotation without restart). Create one with
    /// <c>vxsnd keygen</c> or <c>vxrd keygen</c>.
    /// </summary>
    [FormerKey("AuthKeyFile")]
    public string? KeyFile { get; set; }

    /// <summary>
    /// True: run without <see cref="KeyFile"/> (anyone who can reach the control port can register;
    /// warned at every start, shown in status and by <c>vxsnd_authentication_enabled</c> /
    /// <c>vxrd_authentication_enabled</c> 0). With a key file: the roll-out transition, signs
    /// everything and accepts unsigned datagrams too. Default false.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>Accepted difference between a signer's clock and ours. Default 30 s.</summary>
    [FormerKey("AuthMaxClockSkew")]
    public TimeSpan MaxClockSkew { get; set; } = ReplayGuard.DefaultMaxClockSkew;

    /// <summary>
    /// Most nonces remembered to refuse replays (memory about 64 bytes each). Default (null): the
    /// daemon's own, 65536 for vxsnd, 16384 for vxrd (a VTEP receives few peer lists).
    /// </summary>
    [FormerKey("AuthReplayCacheSize")]
    public int? ReplayCacheSize { get; set; }

    /// <summary>How often the key file is checked for changes. Default 10 s.</summary>
    [FormerKey("AuthKeyFileCheckInterval")]
    public TimeSpan KeyFileCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
