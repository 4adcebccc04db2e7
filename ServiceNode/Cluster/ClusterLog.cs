using System.Net;
using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.SyncListening, Level = LogLevel.Information,
        Message = "Serving the table to peers on TCP {EndPoint}")]
    public static partial void SyncListening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncServed, Level = LogLevel.Information,
        Message = "Sent {Entries} entries in {Frames} frame(s) to {Remote}")]
    public static partial void SyncServed(ILogger logger, int entries, int frames, EndPoint? remote);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncServeFailed, Level = LogLevel.Warning,
        Message = "Sending the table to {Remote} failed: {Reason}")]
    public static partial void SyncServeFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncRefusedNotReady, Level = LogLevel.Information,
        Message = "Refused a table transfer to {Remote}: this node has not finished its own start-up sync")]
    public static partial void SyncRefusedNotReady(ILogger logger, EndPoint? remote);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncStarted, Level = LogLevel.Information,
        Message = "Start-up sync: pulling the table from {Peers} peer(s) for at most {Timeout}")]
    public static partial void SyncStarted(ILogger logger, int peers, TimeSpan timeout);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncMerged, Level = LogLevel.Information,
        Message = "Start-up sync: merged {Applied} of {Received} entries from {Peer} in {Elapsed} ms ({Skipped} skipped)")]
    public static partial void SyncMerged(ILogger logger, int applied, int received, string peer, long elapsed, int skipped);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncAttemptFailed, Level = LogLevel.Debug,
        Message = "Start-up sync from {Peer} failed: {Reason}")]
    public static partial void SyncAttemptFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncNoPeer, Level = LogLevel.Warning,
        Message = "Start-up sync: no peer answered within {Timeout} ({Reasons}); starting with an empty table, VTEPs fill it with their next refresh")]
    public static partial void SyncNoPeer(ILogger logger, TimeSpan timeout, string reasons);

    [LoggerMessage(EventId = ServiceNodeEventIds.SyncNotNeeded, Level = LogLevel.Information,
        Message = "No peers configured: single service node, nothing to sync")]
    public static partial void SyncNotNeeded(ILogger logger);

    [LoggerMessage(EventId = ServiceNodeEventIds.RelayFromUnknown, Level = LogLevel.Debug,
        Message = "Relayed registration from {Source}, which is not a configured peer")]
    public static partial void RelayFromUnknown(ILogger logger, IPEndPoint source);

    [LoggerMessage(EventId = ServiceNodeEventIds.RelayEncodeFailed, Level = LogLevel.Warning,
        Message = "Cannot relay the registration of {NodeId}: {Reason}")]
    public static partial void RelayEncodeFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.AnycastInstalled, Level = LogLevel.Information,
        Message = "Anycast address {Address}/{PrefixLength} added to the loopback")]
    public static partial void AnycastInstalled(ILogger logger, IPAddress address, int prefixLength);

    [LoggerMessage(EventId = ServiceNodeEventIds.AnycastRemoved, Level = LogLevel.Warning,
        Message = "Anycast address {Address} removed from the loopback: {Reason}")]
    public static partial void AnycastRemoved(ILogger logger, IPAddress address, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.AnycastFailed, Level = LogLevel.Error,
        Message = "Cannot {Action} anycast address {Address} on the loopback: {Reason}")]
    public static partial void AnycastFailed(ILogger logger, string action, IPAddress address, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.AnycastStaleRemoved, Level = LogLevel.Warning,
        Message = "Removed anycast address {Address} left on the loopback by a previous run; it returns once this node is ready")]
    public static partial void AnycastStaleRemoved(ILogger logger, IPAddress address);
}
