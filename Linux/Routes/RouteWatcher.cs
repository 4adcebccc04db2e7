using Replicator.Linux.Netlink;

namespace Replicator.Linux.Routes;

/// <summary>
/// Follows the IPv4 and IPv6 routing tables (RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE): every table of the
/// namespace, RTM_NEWROUTE (added or replaced) as <see cref="WatchEventKind.New"/>, RTM_DELROUTE as
/// <see cref="WatchEventKind.Deleted"/>, resynchronised after lost notifications (<see cref="NetlinkWatcher{T}"/>).
/// Equivalent to: <c>ip monitor route</c>.
/// </summary>
public static class RouteWatcher
{
    /// <summary>Receive buffer for notifications: a routing daemon can change thousands of routes at once.</summary>
    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Subscribes and starts the watcher thread, in the calling thread's network namespace. With
    /// <paramref name="listExisting"/> each Resync carries every route (<see cref="RouteClient.DumpRoutes"/>);
    /// without, Resync events are empty: "look again", nothing more.
    /// </summary>
    public static NetlinkWatcher<KernelRoute> Start(bool listExisting = true, int receiveBufferBytes = DefaultReceiveBufferBytes, Action? onEvents = null)
    {
        var client = listExisting ? RouteClient.Open() : null;
        return NetlinkWatcher<KernelRoute>.Start("route watcher", [Nl.RTNLGRP_IPV4_ROUTE, Nl.RTNLGRP_IPV6_ROUTE],
            client is null ? null : client.DumpRoutes, client, Decode, receiveBufferBytes, onEvents);
    }

    private static NotificationDecoding Decode(NetlinkMessage message, out KernelRoute? route, out bool deleted)
    {
        route = null;
        deleted = message.Type == Nl.RTM_DELROUTE;
        if (message.Type is not (Nl.RTM_NEWROUTE or Nl.RTM_DELROUTE))
        {
            return NotificationDecoding.Ignored;
        }
        if (!message.TryGetFamilyHeader(out rtmsg header, out _))
        {
            return NotificationDecoding.Malformed;
        }
        if (header.rtm_family is not (Native.LibC.AF_INET or Native.LibC.AF_INET6))
        {
            return NotificationDecoding.Ignored;
        }
        return RouteParser.TryParse(message, out route) ? NotificationDecoding.Decoded : NotificationDecoding.Malformed;
    }
}
