using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Fdb;

/// <summary>
/// Reads and changes the default-destination entries (MAC 00:00:00:00:00:00) of VXLAN devices: the
/// remotes the kernel floods broadcast, unknown-unicast and multicast frames to. Every change is
/// acknowledged by the kernel and its answer returned as a <see cref="NetlinkResult"/>; adding an entry
/// that exists and deleting one that does not count as success (<see cref="NetlinkResult.Unchanged"/>),
/// so a reconciler can repeat itself safely. Thread-safe (one exchange at a time on its own socket).
/// </summary>
public sealed class FdbClient : IFdbClient, IDisposable
{
    private static readonly byte[] ZeroMac = new byte[6];

    private readonly NetlinkSocket _socket;
    private readonly Lock _gate = new();
    private readonly byte[] _request = new byte[128];

    private FdbClient(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens its own netlink socket; throws <see cref="NativeException"/> when it cannot.</summary>
    public static FdbClient Open(TimeSpan? timeout = null) => new(NetlinkSocket.Open(timeout ?? TimeSpan.FromSeconds(5)));

    /// <summary>
    /// The default destinations of device <paramref name="ifindex"/>: RTM_GETNEIGH dump in AF_BRIDGE
    /// filtered by the kernel to the device (strict checking) and again here, keeping only MAC
    /// 00:00:00:00:00:00 entries with NDA_DST. Retried while the kernel flags the dump inconsistent.
    /// Equivalent to: <c>bridge fdb show dev vxlan100 | grep ^00:00:00:00:00:00</c>.
    /// </summary>
    public DumpResult<FdbEntry> DumpDefaultDestinations(int ifindex)
    {
        lock (_gate)
        {
            return _socket.DumpAll(() =>
            {
                var writer = new NetlinkMessageWriter(_request, Nl.RTM_GETNEIGH, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, _socket.NextSequence());
                writer.WriteFamilyHeader(new ndmsg { ndm_family = LibC.AF_BRIDGE, ndm_ifindex = ifindex });
                writer.TryFinish(out int length);
                return _request.AsSpan(0, length);
            }, (NetlinkMessage message, [MaybeNullWhen(false)] out FdbEntry entry) =>
                FdbParser.TryParse(message, out entry) && entry.IfIndex == ifindex && entry.IsDefaultDestination);
        }
    }

    /// <summary>
    /// Adds <paramref name="destination"/> (IPv4 or IPv6) to the default destinations of device
    /// <paramref name="ifindex"/>, keeping the others: RTM_NEWNEIGH, NLM_F_CREATE|NLM_F_APPEND, AF_BRIDGE,
    /// NTF_SELF, NUD_NOARP|NUD_PERMANENT, NDA_LLADDR 00:00:00:00:00:00, NDA_DST. EEXIST counts as success.
    /// Equivalent to: <c>bridge fdb append 00:00:00:00:00:00 dev vxlan100 dst 192.0.2.2</c>.
    /// </summary>
    public NetlinkResult AppendDefaultDestination(int ifindex, IPAddress destination) =>
        Change(Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_APPEND, ifindex, destination, Errno.EEXIST);

    /// <summary>
    /// Removes <paramref name="destination"/> (IPv4 or IPv6) from the default destinations of device
    /// <paramref name="ifindex"/>, leaving the others: RTM_DELNEIGH, AF_BRIDGE, NTF_SELF,
    /// NDA_LLADDR 00:00:00:00:00:00, NDA_DST. ENOENT counts as success.
    /// Equivalent to: <c>bridge fdb del 00:00:00:00:00:00 dev vxlan100 dst 192.0.2.2</c>.
    /// </summary>
    public NetlinkResult DeleteDefaultDestination(int ifindex, IPAddress destination) =>
        Change(Nl.RTM_DELNEIGH, 0, ifindex, destination, Errno.ENOENT);

    public void Dispose() => _socket.Dispose();

    private NetlinkResult Change(ushort type, ushort flags, int ifindex, IPAddress destination, Errno alreadyDone)
    {
        if (destination.IsIPv4MappedToIPv6)
        {
            destination = destination.MapToIPv4();
        }
        if (destination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return new NetlinkResult(Errno.EAFNOSUPPORT, $"destination {destination} is neither IPv4 nor IPv6");
        }
        if (ifindex <= 0)
        {
            return new NetlinkResult(Errno.EINVAL, $"bad ifindex {ifindex}");
        }
        Span<byte> address = stackalloc byte[16];
        destination.TryWriteBytes(address, out int addressLength);
        lock (_gate)
        {
            var writer = new NetlinkMessageWriter(_request, type, (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | flags), _socket.NextSequence());
            writer.WriteFamilyHeader(new ndmsg
            {
                ndm_family = LibC.AF_BRIDGE,
                ndm_ifindex = ifindex,
                ndm_state = Nl.NUD_NOARP | Nl.NUD_PERMANENT,
                ndm_flags = Nl.NTF_SELF,
            });
            writer.AddAttribute(Nl.NDA_LLADDR, ZeroMac);
            writer.AddAttribute(Nl.NDA_DST, address[..addressLength]);
            if (!writer.TryFinish(out int length))
            {
                return new NetlinkResult(Errno.EMSGSIZE, "request did not fit");
            }
            var result = _socket.Execute(_request.AsSpan(0, length));
            return result.Errno == alreadyDone ? new NetlinkResult(Errno.SUCCESS, result.ExtendedAck, Unchanged: true) : result;
        }
    }
}
