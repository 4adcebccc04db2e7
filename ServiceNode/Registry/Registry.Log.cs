using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Registry;

public sealed partial class Registry
{
    private static partial class Log
    {
        [LoggerMessage(EventId = ServiceNodeEventIds.NodeRestarted, Level = LogLevel.Information,
            Message = "VTEP {Address} restarted (node id {OldNodeId} -> {NewNodeId}); its previous registrations were dropped")]
        public static partial void NodeRestarted(ILogger logger, string address, string oldNodeId, string newNodeId);

        [LoggerMessage(EventId = ServiceNodeEventIds.EntriesExpired, Level = LogLevel.Debug,
            Message = "{Count} registry entries expired")]
        public static partial void Expired(ILogger logger, int count);
    }
}
