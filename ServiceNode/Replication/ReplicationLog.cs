using Microsoft.Extensions.Logging;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>Data-plane log messages; event ids 2200-2299 (<see cref="ServiceNodeEventIds"/>).</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationDisabled, Level = LogLevel.Information, Message = "Replication disabled (ServiceNode:DataPlane:Enabled=false)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationStarted, Level = LogLevel.Information, Message = "Replicating on {EndPoint} with {Workers} worker(s), source mode {SourceMode}, transmit {Transmit}, destination port {DestinationPort}")]
    public static partial void Started(ILogger logger, string endPoint, int workers, SourceMode sourceMode, string transmit, int destinationPort);

    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationStartFailed, Level = LogLevel.Critical, Message = "Cannot start the data plane on {EndPoint}: {Reason}")]
    public static partial void StartFailed(ILogger logger, string endPoint, string reason, Exception exception);

    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationStopped, Level = LogLevel.Information, Message = "Replication stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationReceiveFailed, Level = LogLevel.Warning, Message = "Worker {Worker}: receive failed with {Errno}")]
    public static partial void ReceiveFailed(ILogger logger, int worker, Errno errno);

    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationPacketPathUnavailable, Level = LogLevel.Warning, Message = "Transmit=Auto: the packet path is unavailable ({Reason}); every copy goes through raw sockets")]
    public static partial void PacketPathUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.ReplicationPacketRingUnavailable, Level = LogLevel.Warning, Message = "Worker {Worker}: no PACKET_TX_RING for interface {InterfaceIndex} ({Errno}; 0: the ring sockets could not be opened); its packet-path copies go by sendmmsg")]
    public static partial void PacketRingUnavailable(ILogger logger, int worker, int interfaceIndex, Errno errno);
}
