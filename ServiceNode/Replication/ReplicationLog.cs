using Microsoft.Extensions.Logging;
using Replicator.Protocol.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>Data-plane log messages; event ids 5000-5099 are stable.</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Replication disabled (ServiceNode:DataPlane:Enabled=false)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Replicating on {EndPoint} with {Workers} worker(s), source mode {SourceMode}, destination port {DestinationPort}")]
    public static partial void Started(ILogger logger, string endPoint, int workers, SourceMode sourceMode, int destinationPort);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Cannot start the data plane on {EndPoint}: {Reason}")]
    public static partial void StartFailed(ILogger logger, string endPoint, string reason, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Replication stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Worker {Worker}: receive failed with {Errno}")]
    public static partial void ReceiveFailed(ILogger logger, int worker, Errno errno);
}
