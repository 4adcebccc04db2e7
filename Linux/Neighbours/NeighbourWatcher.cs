using Replicator.Linux.Netlink;

namespace Replicator.Linux.Neighbours;

/// <summary>
/// Follows the ARP and NDP tables (RTNLGRP_NEIGH, AF_INET and AF_INET6; the bridge FDB's AF_BRIDGE notifications,
/// which share the group, are skipped): RTM_NEWNEIGH (added, resolved, changed MAC or state) as
/// <see cref="WatchEventKind.New"/>, RTM_DELNEIGH as <see cref="WatchEventKind.Deleted"/>, resynchronised with a
/// dump after lost notifications (<see cref="NetlinkWatcher{T}"/>). Equivalent to: <c>ip monitor neigh</c>.
/// </summary>
public static class NeighbourWatcher
{
    /// <summary>Receive buffer for notifications: state changes of a large table arrive in bursts.</summary>
    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    /// <summary>Subscribes and starts the watcher thread, in the calling thread's network namespace.</summary>
    public static NetlinkWatcher<Neighbour> Start(int receiveBufferBytes = DefaultReceiveBufferBytes, Action? onEvents = null)
    {
        var client = NeighbourClient.Open();
        return NetlinkWatcher<Neighbour>.Start("neighbour watcher", [Nl.RTNLGRP_NEIGH], client.DumpNeighbours, client, Decode, receiveBufferBytes, onEvents);
    }

    private static NotificationDecoding Decode(NetlinkMessage message, out Neighbour? neighbour, out bool deleted)
    {
        neighbour = null;
        deleted = message.Type == Nl.RTM_DELNEIGH;
        if (message.Type is not (Nl.RTM_NEWNEIGH or Nl.RTM_DELNEIGH))
        {
            return NotificationDecoding.Ignored;
        }
        if (!NeighbourMessage.TryParse(message, out var parsed))
        {
            return NotificationDecoding.Malformed;
        }
        if (!NeighbourParser.IsIpFamily(parsed.Header.ndm_family))
        {
            return NotificationDecoding.Ignored;
        }
        // An entry without NDA_DST cannot be an ARP/NDP neighbour; the kernel never sends one, so skip it.
        return NeighbourParser.TryCreate(parsed, out neighbour) ? NotificationDecoding.Decoded : NotificationDecoding.Ignored;
    }
}
