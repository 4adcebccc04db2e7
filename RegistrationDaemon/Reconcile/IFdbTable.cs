using System.Net;
using Replicator.Linux.Native;

namespace Replicator.RegistrationDaemon.Reconcile;

/// <summary>
/// The default-destination entries (MAC 00:00:00:00:00:00) of VXLAN devices in the kernel's
/// bridge FDB. Calls block until the kernel acknowledged; results are errno values, never exceptions.
/// </summary>
internal interface IFdbTable
{
    /// <summary>Current default destinations of one device (<c>bridge fdb show dev DEV | grep 00:00:00:00:00:00</c>).</summary>
    Errno Dump(int ifIndex, out IReadOnlyList<IPAddress> destinations);

    /// <summary><c>bridge fdb append 00:00:00:00:00:00 dev DEV dst ADDRESS</c>.</summary>
    Errno Append(int ifIndex, IPAddress destination);

    /// <summary><c>bridge fdb del 00:00:00:00:00:00 dev DEV dst ADDRESS</c>.</summary>
    Errno Delete(int ifIndex, IPAddress destination);
}
