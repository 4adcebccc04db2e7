namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Control-plane authentication of vxsnd, configuration section <c>ServiceNode</c> (docs/security.md);
/// the limits are <see cref="ControlLimitsOptions"/> (<c>ServiceNode:Hardening</c>).
/// Read once at start, except the key file's content, which is re-read when it changes.
/// </summary>
public sealed class HardeningOptions
{
    public const string SectionName = "ServiceNode";

    /// <summary>
    /// Key file (lines <c>ID hex:KEY|base64:KEY [primary]</c>, see <c>AuthKeyFileFormat</c>). When set,
    /// every control datagram must be signed with a listed key; peer lists are signed with the
    /// primary key. Default none, and then vxsnd refuses to start unless <see cref="AllowUnauthenticated"/>
    /// is true. Its content is re-read when the file changes (rotation without restart).
    /// Create one with <c>vxsnd keygen</c>.
    /// </summary>
    public string? AuthKeyFile { get; set; }

    /// <summary>
    /// True: run without <see cref="AuthKeyFile"/> (anyone who can reach the control port can
    /// register; warned at every start, shown in status and by <c>vxsnd_authentication_enabled</c> 0).
    /// With a key file: the roll-out transition, signs everything and accepts unsigned datagrams
    /// too. Default false.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>Accepted difference between a signer's clock and ours. Default 30 s.</summary>
    public TimeSpan AuthMaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most nonces remembered to refuse replays (memory about 64 bytes each). Default 65536.</summary>
    public int AuthReplayCacheSize { get; set; } = 65536;

    /// <summary>How often the key file is checked for changes. Default 10 s.</summary>
    public TimeSpan AuthKeyFileCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
