using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Routes;

/// <summary>
/// Asks the kernel's routing over rtnetlink: one destination at a time (RTM_GETROUTE without NLM_F_DUMP, which
/// runs the kernel's own lookup, policy rules and multipath choice included) or whole tables.
/// Thread-safe (one exchange at a time on its own socket); allocates only the answer.
/// </summary>
public sealed class RouteClient : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly Lock _gate = new();
    private readonly byte[] _request = new byte[64];

    private RouteClient(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens its own netlink socket in the calling thread's network namespace; throws <see cref="NativeException"/> when it cannot.</summary>
    public static RouteClient Open(TimeSpan? timeout = null) => new(NetlinkSocket.Open(timeout ?? TimeSpan.FromSeconds(5)));

    /// <summary>
    /// The route the kernel would send a packet to <paramref name="destination"/> (IPv4 or IPv6) by: RTM_GETROUTE
    /// with RTA_DST (and RTM_F_LOOKUP_TABLE for IPv4), answered by one RTM_NEWROUTE naming the chosen path (type, RTA_OIF,
    /// RTA_GATEWAY or RTA_VIA, RTA_PREFSRC, RTA_TABLE, RTAX_MTU) or by an errno when there is no usable route.
    /// Equivalent to: <c>ip route get 192.0.2.7</c>.
    /// </summary>
    public RouteLookup Lookup(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.IsIPv4MappedToIPv6)
        {
            destination = destination.MapToIPv4();
        }
        bool v6 = destination.AddressFamily == AddressFamily.InterNetworkV6;
        if (!v6 && destination.AddressFamily != AddressFamily.InterNetwork)
        {
            return new RouteLookup(new NetlinkResult(Errno.EAFNOSUPPORT, $"destination {destination} is neither IPv4 nor IPv6"), null);
        }
        Span<byte> address = stackalloc byte[16];
        destination.TryWriteBytes(address, out int length);
        lock (_gate)
        {
            var writer = new NetlinkMessageWriter(_request, Nl.RTM_GETROUTE, Nl.NLM_F_REQUEST, _socket.NextSequence());
            writer.WriteFamilyHeader(new rtmsg
            {
                rtm_family = (byte)(v6 ? LibC.AF_INET6 : LibC.AF_INET),
                rtm_dst_len = (byte)(length * 8),
                // IPv4 reports RT_TABLE_MAIN unless asked for the lookup's table; IPv6 always reports the
                // route's table and refuses the flag under strict checking ("Invalid flags for get route request").
                rtm_flags = v6 ? 0 : Nl.RTM_F_LOOKUP_TABLE,
            });
            writer.AddAttribute(Nl.RTA_DST, address[..length]);
            if (!writer.TryFinish(out int size))
            {
                return new RouteLookup(new NetlinkResult(Errno.EMSGSIZE, "request did not fit"), null);
            }
            KernelRoute? route = null;
            var status = _socket.Request(_request.AsSpan(0, size), message =>
            {
                if (RouteParser.TryParse(message, out var parsed))
                {
                    route = parsed;
                }
            });
            if (status.IsSuccess && route is null)
            {
                status = new NetlinkResult(Errno.EPROTO, "no RTM_NEWROUTE in the answer");
            }
            return new RouteLookup(status, status.IsSuccess ? route : null);
        }
    }

    /// <summary>
    /// Every IPv4 and IPv6 route of every table (RTM_GETROUTE dumps of AF_INET, then AF_INET6), cached clones
    /// excluded. Retried while NLM_F_DUMP_INTR; the result then reports it.
    /// Equivalent to: <c>ip route show table all; ip -6 route show table all</c>.
    /// </summary>
    public DumpResult<KernelRoute> DumpRoutes()
    {
        lock (_gate)
        {
            var v4 = Dump(LibC.AF_INET);
            if (!v4.IsSuccess)
            {
                return v4;
            }
            var v6 = Dump(LibC.AF_INET6);
            return v6.IsSuccess ? new DumpResult<KernelRoute>(v6.Status, [.. v4.Items, .. v6.Items]) : v6;
        }
    }

    public void Dispose() => _socket.Dispose();

    private DumpResult<KernelRoute> Dump(int family) =>
        _socket.DumpAll(() =>
        {
            var writer = new NetlinkMessageWriter(_request, Nl.RTM_GETROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, _socket.NextSequence());
            writer.WriteFamilyHeader(new rtmsg { rtm_family = (byte)family });
            writer.TryFinish(out int size);
            return _request.AsSpan(0, size);
        }, static (NetlinkMessage message, [MaybeNullWhen(false)] out KernelRoute route) =>
            RouteParser.TryParse(message, out route) && (route.Flags & Nl.RTM_F_CLONED) == 0);
}
