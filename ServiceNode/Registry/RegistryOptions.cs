namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The registry's settings, configuration section <c>ServiceNode:Registry</c>. <see cref="HoldTime"/>,
/// <see cref="AgeCheckInterval"/>, <see cref="MaxEntries"/> and <see cref="MaxMembersPerVni"/> reload
/// without a restart; the others are read once at start.
/// </summary>
internal sealed class RegistryOptions
{
    public const string SectionName = "ServiceNode:Registry";

    /// <summary>Hold time of entries the node learns itself (unregistered senders seen by the data plane). Default 90 s.</summary>
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often expired entries are removed; an entry lives at most this much past its hold time. Default 1 s.</summary>
    public TimeSpan AgeCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>File holding the static entries (lines <c>VNI ADDRESS</c>), rewritten atomically on every change. Default /var/lib/vxsnd/static-entries.</summary>
    public string StaticEntriesFile { get; set; } = "/var/lib/vxsnd/static-entries";

    /// <summary>Most entries (VNI, address) the registry holds; a registration that would exceed it is rejected whole. Default 2,000,000.</summary>
    public int MaxEntries { get; set; } = 2_000_000;

    /// <summary>Most members one VNI may have; a registration that would exceed it is rejected whole. Default 10,000.</summary>
    public int MaxMembersPerVni { get; set; } = 10_000;

    /// <summary>
    /// Admit loopback addresses (127.0.0.0/8, ::1) as VTEPs and do not count them among the node's own
    /// addresses. Only for tests and labs on one host, where every VTEP is a loopback address: it gives
    /// up the protection against replicating to the node itself through loopback. Default false.
    /// </summary>
    public bool AllowLoopbackVteps { get; set; }
}
