using System.Net;
using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Control;

internal static partial class ControlLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.ControlListening, Level = LogLevel.Information,
        Message = "Control protocol listening on {EndPoint} (UDP, receive buffer {ReceiveBufferBytes} bytes as the kernel counts them)")]
    public static partial void Listening(ILogger logger, EndPoint endPoint, int receiveBufferBytes);

    [LoggerMessage(EventId = ServiceNodeEventIds.ControlListeningAnycast, Level = LogLevel.Information,
        Message = "Control protocol also listening on the anycast address {EndPoint} (UDP): VTEPs' answers and pushes leave from it")]
    public static partial void ListeningAnycast(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = ServiceNodeEventIds.ControlDatagramDropped, Level = LogLevel.Warning,
        Message = "Dropped control datagram from {Source}: {Reason}: {Detail} ({Suppressed} more of this reason dropped unlogged since the last report)")]
    public static partial void Dropped(ILogger logger, EndPoint source, string reason, string detail, long suppressed);

    [LoggerMessage(EventId = ServiceNodeEventIds.ControlReceiveFailed, Level = LogLevel.Warning,
        Message = "Control socket receive failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, string error);

    [LoggerMessage(EventId = ServiceNodeEventIds.ControlSendFailed, Level = LogLevel.Debug,
        Message = "Control datagram to {Destination} not sent: {Error}")]
    public static partial void SendFailed(ILogger logger, EndPoint destination, string error);
}
