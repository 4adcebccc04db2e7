namespace Replicator.ServiceNode.Configuration;

/// <summary>
/// The node's own settings, configuration section <c>ServiceNode</c>: where its control socket and
/// management socket are. Each concern has its own nested section and options class:
/// <c>ServiceNode:Registry</c> (<c>Registry/RegistryOptions</c>), <c>ServiceNode:DataPlane</c>
/// (<c>Replication/ReplicationOptions</c>), <c>ServiceNode:Cluster</c> (<c>Cluster/ClusterOptions</c>),
/// <c>ServiceNode:Hardening</c> (<c>Hardening/ControlLimitsOptions</c>) and <c>ServiceNode:Metrics</c>
/// (Hosting's <c>MetricsOptions</c>). Read once at start.
/// </summary>
internal sealed class ServiceNodeOptions
{
    public const string SectionName = "ServiceNode";

    /// <summary>Address the control socket binds to. Default "0.0.0.0"; "::" listens on IPv6 and IPv4 (dual stack).</summary>
    public string ControlAddress { get; set; } = "0.0.0.0";

    /// <summary>UDP port of the control protocol. Default 10001 (vxfld's); 0 picks a free port (tests).</summary>
    public int ControlPort { get; set; } = 10001;

    /// <summary>Unix socket of the management API (and default of the CLI's <c>--socket</c>). Default /run/vxsnd.sock.</summary>
    public string ManagementSocket { get; set; } = "/run/vxsnd.sock";
}
