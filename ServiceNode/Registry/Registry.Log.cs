using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    private static partial class Log
    {
        [LoggerMessage(EventId = ServiceNodeEventIds.NodeRestarted, Level = LogLevel.Information,
            Message = "VTEP {Address} restarted (node id {OldNodeId} -> {NewNodeId}); its previous registrations were dropped")]
        public static partial void NodeRestarted(ILogger logger, string address, string oldNodeId, string newNodeId);

        [LoggerMessage(EventId = ServiceNodeEventIds.EntriesExpired, Level = LogLevel.Debug,
            Message = "{Count} registry entries expired")]
        public static partial void Expired(ILogger logger, int count);

        [LoggerMessage(EventId = ServiceNodeEventIds.OwnEntriesHidden, Level = LogLevel.Warning,
            Message = "{Count} registry entries name one of this node's own addresses ({OwnCount} own and broadcast addresses): they get no copies and are left out of peer lists while the address is the node's")]
        public static partial void OwnEntriesHidden(ILogger logger, int count, int ownCount);
    }
}
