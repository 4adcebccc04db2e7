namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Control-plane limits of vxsnd, configuration section <c>ServiceNode:Hardening</c> (docs/security.md):
/// rate limits and how much one source may hold. Read once at start.
/// </summary>
internal sealed class ControlLimitsOptions
{
    public const string SectionName = "ServiceNode:Hardening";

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
    /// can never take the global table (<c>ServiceNode:Registry:MaxEntries</c>) from everyone else; a registration that
    /// would exceed it is dropped whole. Relayed registrations are exempt. 0 = unlimited. Default
    /// 8192: a VTEP in 4096 VNIs with an IPv4 and an IPv6 address.
    /// </summary>
    public int MaxEntriesPerSource { get; set; } = 8192;

    /// <summary>
    /// Pushed peer-list datagrams per second to one VTEP (average); more wait in the pacing queue.
    /// 0 = unlimited. Default 1000.
    /// </summary>
    public double PushRatePerDestination { get; set; } = 1000;

    /// <summary>Pushed peer-list datagrams per second to all VTEPs together; 0 = unlimited. Default 50000.</summary>
    public double PushRateGlobal { get; set; } = 50000;

    /// <summary>Burst allowance of both push rates, in seconds of their rate. Default 1.</summary>
    public double PushBurstSeconds { get; set; } = 1;

    /// <summary>
    /// Pushed datagrams that may wait for the push rates; when full, new pushes are dropped (counted),
    /// and the VTEPs' next refresh repairs what they missed. Default 65536.
    /// </summary>
    public int PushQueueCapacity { get; set; } = 65536;

    /// <summary>
    /// Receive buffer of the control sockets, in bytes: room for a fleet's registrations arriving at once
    /// while the receive loop is busy (the kernel drops what does not fit: <c>vxsnd_socket_drops_total</c>).
    /// Set with SO_RCVBUFFORCE, so it may exceed <c>net.core.rmem_max</c>; 0 = the kernel's default.
    /// Default 8388608 (8 MiB: about 10,000 registration datagrams).
    /// </summary>
    public int ControlReceiveBufferBytes { get; set; } = 8 * 1024 * 1024;
}
