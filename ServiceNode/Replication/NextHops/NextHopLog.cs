using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>Next-hop tracker log messages; event ids 2260-2269 of the data plane's block (<see cref="ServiceNodeEventIds"/>).</summary>
internal static partial class NextHopLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.NextHopTrackerStarted, Level = LogLevel.Information, Message = "Next-hop tracker following {Destinations} destination(s): {Usable} usable on the packet path")]
    public static partial void Started(ILogger logger, int destinations, int usable);

    [LoggerMessage(EventId = ServiceNodeEventIds.NextHopResync, Level = LogLevel.Information, Message = "Next-hop tracker resynchronised ({Reason}): every route looked up again")]
    public static partial void Resync(ILogger logger, NextHopResyncReason reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.NextHopWatchFailed, Level = LogLevel.Error, Message = "Next-hop tracking stopped, every destination goes through the raw path: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = ServiceNodeEventIds.NextHopDestinationsCapped, Level = LogLevel.Warning, Message = "{Members} VTEP addresses, the next-hop tracker follows at most {Limit}: the others go through the raw path")]
    public static partial void DestinationsCapped(ILogger logger, int members, int limit);

    [LoggerMessage(EventId = ServiceNodeEventIds.NextHopChanged, Level = LogLevel.Debug, Message = "Next hop of {Destination}: {State} via {Gateway} dev {InterfaceIndex} lladdr {Mac} mtu {Mtu}")]
    public static partial void Changed(ILogger logger, string destination, NextHopState state, string gateway, int interfaceIndex, string mac, int mtu);
}
