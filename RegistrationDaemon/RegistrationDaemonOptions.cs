namespace Replicator.RegistrationDaemon;

/// <summary>
/// Configuration section <c>RegistrationDaemon</c>. <see cref="Mode"/>, <see cref="HoldTime"/> and
/// <see cref="RefreshRate"/> reload without a restart (a bad reload keeps the last good values);
/// every other key is read at start. The metrics keys are section <c>RegistrationDaemon:Metrics</c>
/// (Hosting's <c>MetricsOptions</c>).
/// </summary>
internal sealed class RegistrationDaemonOptions
{
    public const string SectionName = "RegistrationDaemon";

    /// <summary>Address of the service node, usually the anycast address of the cluster. Required.</summary>
    public string? ServiceNode { get; set; }

    /// <summary>UDP port of the service node's control plane. Default 10001.</summary>
    public int ControlPort { get; set; } = 10001;

    /// <summary>Source address of control datagrams. Default: empty, the kernel picks by route.</summary>
    public string? SourceAddress { get; set; }

    /// <summary>HeadEnd (default) or ServiceNode. Reloads live.</summary>
    public ReplicationMode Mode { get; set; } = ReplicationMode.HeadEnd;

    /// <summary>Hold time announced in registrations; the service node forgets us this long after our last refresh. Default 90 s. Reloads live.</summary>
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Refreshes per hold time: registrations are refreshed every HoldTime / RefreshRate (minus up to 25% jitter). Default 3. Reloads live.</summary>
    public int RefreshRate { get; set; } = 3;

    /// <summary>Period of the full comparison of kernel entries against the desired ones (repairs manual changes). Default 10 s.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Device names or globs (<c>*</c>, <c>?</c>) to manage. Default: empty, every VXLAN device.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>Unix socket of the management API used by the CLI. Default /run/vxrd.sock.</summary>
    public string ManagementSocket { get; set; } = "/run/vxrd.sock";

    /// <summary>
    /// Most peers (other VTEPs, after the address policy) one VNI's list may hold; a longer list is
    /// refused for that VNI, which keeps its previous members. Default 4096.
    /// </summary>
    public int MaxPeersPerVni { get; set; } = 4096;
}
