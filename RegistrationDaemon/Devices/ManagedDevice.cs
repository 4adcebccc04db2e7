using System.Net;

namespace Replicator.RegistrationDaemon.Devices;

/// <summary>A VXLAN device vxrd registers and whose default destinations it owns.</summary>
internal sealed record ManagedDevice(int IfIndex, string Name, uint Vni, IPAddress Local);
