using System.Net;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Fdb;

/// <summary>
/// The default-destination operations the reconciler needs; <see cref="FdbClient"/> implements them over
/// rtnetlink, tests substitute a fake.
/// </summary>
public interface IFdbClient
{
    /// <inheritdoc cref="FdbClient.DumpDefaultDestinations"/>
    DumpResult<FdbEntry> DumpDefaultDestinations(int ifindex);

    /// <inheritdoc cref="FdbClient.AppendDefaultDestination"/>
    NetlinkResult AppendDefaultDestination(int ifindex, IPAddress destination);

    /// <inheritdoc cref="FdbClient.DeleteDefaultDestination"/>
    NetlinkResult DeleteDefaultDestination(int ifindex, IPAddress destination);
}
