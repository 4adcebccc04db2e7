namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>One member of a VNI as <c>vxrd peers</c> shows it.</summary>
/// <param name="Self">The address is one of this VTEP's own (never a destination).</param>
/// <param name="Programmed">A managed device of the VNI has the address as default destination.</param>
internal sealed record PeerView(uint Vni, string Address, bool Self, bool Programmed);
