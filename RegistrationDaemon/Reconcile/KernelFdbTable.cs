using System.Net;
using Replicator.Linux.Fdb;
using Replicator.Linux.Native;

namespace Replicator.RegistrationDaemon.Reconcile;

/// <summary>The kernel's bridge FDB over rtnetlink (<see cref="IFdbClient"/>), errors as errno.</summary>
internal sealed class KernelFdbTable : IFdbTable
{
    private readonly IFdbClient _client;

    public KernelFdbTable(IFdbClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    public Errno Dump(int ifIndex, out IReadOnlyList<IPAddress> destinations)
    {
        var result = _client.DumpDefaultDestinations(ifIndex);
        destinations = result.IsSuccess ? [.. result.Items.Select(e => e.Destination)] : [];
        return result.IsSuccess ? Errno.SUCCESS : result.Status.DumpInterrupted ? Errno.EINTR : result.Status.Errno;
    }

    public Errno Append(int ifIndex, IPAddress destination) => _client.AppendDefaultDestination(ifIndex, destination).Errno;

    public Errno Delete(int ifIndex, IPAddress destination) => _client.DeleteDefaultDestination(ifIndex, destination).Errno;
}
