namespace Replicator.RegistrationDaemon;

/// <summary>Which default destinations vxrd programs on each managed VXLAN device.</summary>
internal enum ReplicationMode
{
    /// <summary>Head-end replication: one entry per other VTEP of the VNI; the kernel replicates BUM frames.</summary>
    HeadEnd,

    /// <summary>Service-node replication: one entry, the service node's address; the service node replicates.</summary>
    ServiceNode,
}
