using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Addresses;

internal static partial class OwnAddressesLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.OwnAddressesChanged, Level = LogLevel.Information,
        Message = "This node's own addresses: {Own} addresses and {Broadcasts} subnet broadcasts, refused as VTEPs and as data-plane sources")]
    public static partial void Changed(ILogger logger, int own, int broadcasts);

    [LoggerMessage(EventId = ServiceNodeEventIds.OwnAddressesWatchFailed, Level = LogLevel.Error,
        Message = "Following the kernel's address table failed; the last known own addresses stay in force, retrying in {Seconds} s")]
    public static partial void WatchFailed(ILogger logger, double seconds, Exception exception);
}
