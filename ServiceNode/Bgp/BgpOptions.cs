namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The BGP speaker, configuration section <c>ServiceNode:Bgp</c> (docs/bgp.md). Read once at start:
/// sessions, addresses and the key shape sockets. The subsection <c>ServiceNode:Bgp:Evpn</c> is the
/// EVPN bridge's (routes to and from the registry), with its own options class.
/// </summary>
internal sealed class BgpOptions
{
    public const string SectionName = "ServiceNode:Bgp";

    /// <summary>Run the speaker. Default false: vxsnd speaks no BGP.</summary>
    public bool Enabled { get; set; }

    /// <summary>Our autonomous system, 1-4294967295 (4-octet ASNs announced with AS_TRANS in OPEN). Required when enabled; the peers must be in the same AS (iBGP).</summary>
    public uint LocalAs { get; set; }

    /// <summary>The BGP identifier (an IPv4 address). Default: <c>ServiceNode:ControlAddress</c> when that is an IPv4 unicast address; required otherwise.</summary>
    public string? RouterId { get; set; }

    /// <summary>The route reflectors (or other iBGP peers) to connect to: <c>"192.0.2.1"</c>, <c>"192.0.2.1:1179"</c>, <c>"2001:db8::1"</c>, <c>"[2001:db8::1]:1179"</c>. Default empty.</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>The TCP port of peers given without one. Default 179.</summary>
    public int Port { get; set; } = 179;

    /// <summary>The hold time we offer in OPEN; the session uses the smaller of both (0: no keepalives, no hold timer). 0 or 3 s to 65535 s. Default 90 s.</summary>
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The first wait before reconnecting after a failed attempt or a lost session; doubled per failure up to <see cref="ConnectRetryMax"/>, with jitter. Default 1 s.</summary>
    public TimeSpan ConnectRetry { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts. Default 120 s (RFC 4271's ConnectRetryTime).</summary>
    public TimeSpan ConnectRetryMax { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The local address sessions connect from. Default none: the kernel picks by route.</summary>
    public string? LocalAddress { get; set; }

    /// <summary>A file holding the TCP-MD5 key (RFC 2385; the file's first line, 1-80 bytes) used with every peer. Default none: no TCP-MD5.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The most type-3 routes kept per session; more are dropped and counted. Default 100000.</summary>
    public int MaxRoutesPerPeer { get; set; } = 100_000;

    /// <summary>
    /// The most changes of the exported set queued for one peer. A peer that falls further behind (it reads slowly
    /// while the registry churns) is resynchronised instead: the queue is dropped and the peer sent the difference
    /// between the whole set and what it holds. 1-1000000. Default 10000.
    /// </summary>
    public int MaxQueuedChangesPerPeer { get; set; } = BgpSettings.DefaultMaxQueuedChangesPerPeer;
}
