namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Control-plane protection of vxsnd, configuration section <c>ServiceNode</c> (docs/security.md).
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

    /// <summary>Control datagrams per second accepted from one source address (average); 0 = unlimited. Default 100.</summary>
    public double ControlRateLimitPerSource { get; set; } = 100;

    /// <summary>Control datagrams per second accepted from all sources together; 0 = unlimited. Default 20000.</summary>
    public double ControlRateLimitGlobal { get; set; } = 20000;

    /// <summary>Burst allowance of both rate limits, in seconds of their rate. Default 2 (a source may send 200 at once, then 100/s).</summary>
    public double ControlRateLimitBurstSeconds { get; set; } = 2;

    /// <summary>Source addresses tracked by the per-source limit (least recently seen evicted). Default 65536.</summary>
    public int ControlRateLimitMaxSources { get; set; } = 65536;

    /// <summary>
    /// Most VNIs one source address may hold registrations in; a registration that would exceed it
    /// is dropped whole. Relayed registrations (from cluster peers) are exempt. 0 = unlimited. Default 4096.
    /// </summary>
    public int MaxVnisPerSource { get; set; } = 4096;

    /// <summary>
    /// Most (VNI, address) entries one source address may hold registrations of, so that one source
    /// can never take the global table (<c>MaxEntries</c>) from everyone else; a registration that
    /// would exceed it is dropped whole. Relayed registrations are exempt. 0 = unlimited. Default
    /// 8192: a VTEP in 4096 VNIs with an IPv4 and an IPv6 address.
    /// </summary>
    public int MaxEntriesPerSource { get; set; } = 8192;
}
