using System.Net;

namespace Replicator.RegistrationDaemon.Devices;

/// <summary>
/// What vxrd needs to know about one kernel link, whatever its kind. VXLAN fields are null for
/// other kinds, and <see cref="Vni"/> is null for a VXLAN device in external (metadata) mode.
/// </summary>
public sealed record LinkInfo(
    int IfIndex,
    string Name,
    bool IsVxlan,
    bool IsUp,
    uint? Vni = null,
    IPAddress? Local = null,
    IPAddress? Remote = null,
    int Port = 0);
