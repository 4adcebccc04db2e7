using System.Net;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>One registered (VNI, local VTEP address) pair.</summary>
internal readonly record struct VniAddress(uint Vni, IPAddress Address);
