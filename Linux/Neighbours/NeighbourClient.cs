using System.Diagnostics.CodeAnalysis;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Neighbours;

/// <summary>Reads the kernel's ARP and NDP tables over rtnetlink. Thread-safe (one exchange at a time on its own socket).</summary>
public sealed class NeighbourClient : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly Lock _gate = new();
    private readonly byte[] _request = new byte[64];

    private NeighbourClient(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens its own netlink socket in the calling thread's network namespace; throws <see cref="NativeException"/> when it cannot.</summary>
    public static NeighbourClient Open(TimeSpan? timeout = null) => new(NetlinkSocket.Open(timeout ?? TimeSpan.FromSeconds(5)));

    /// <summary>
    /// Every IPv4 and IPv6 neighbour of every interface (RTM_GETNEIGH dump, AF_UNSPEC: the ARP and NDP tables,
    /// not the bridge FDB; proxy entries excluded). Retried while NLM_F_DUMP_INTR; the result then reports it.
    /// Equivalent to: <c>ip neigh show</c>.
    /// </summary>
    public DumpResult<Neighbour> DumpNeighbours()
    {
        lock (_gate)
        {
            return _socket.DumpAll(() =>
            {
                var writer = new NetlinkMessageWriter(_request, Nl.RTM_GETNEIGH, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, _socket.NextSequence());
                writer.WriteFamilyHeader(new ndmsg { ndm_family = LibC.AF_UNSPEC });
                writer.TryFinish(out int size);
                return _request.AsSpan(0, size);
            }, static (NetlinkMessage message, [MaybeNullWhen(false)] out Neighbour neighbour) => NeighbourParser.TryParse(message, out neighbour));
        }
    }

    public void Dispose() => _socket.Dispose();
}
