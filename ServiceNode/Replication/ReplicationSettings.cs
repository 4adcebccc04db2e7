using System.Net;

namespace Replicator.ServiceNode.Replication;

/// <summary>The validated, resolved settings one worker runs with (addresses parsed, worker count decided).</summary>
internal sealed record ReplicationSettings
{
    public required IPAddress DataAddress { get; init; }
    public int DataPort { get; init; } = 4789;
    public int DestinationPort { get; init; } = 4789;
    public SourceMode SourceMode { get; init; } = SourceMode.Preserve;
    public int Workers { get; init; } = 1;
    public int ReceiveBatch { get; init; } = 64;
    public int SendBatch { get; init; } = 256;
    public int ReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;
    public int Ttl { get; init; } = 64;
    public bool AcceptUnregistered { get; init; }
    public TransmitPath Transmit { get; init; } = TransmitPath.Auto;
    public int PacketRingFrames { get; init; } = ReplicationOptions.DefaultPacketRingFrames;

    /// <summary>Whether workers try the packet path: Preserve mode and Transmit Auto or Packet.</summary>
    public bool UsesPacketPath => SourceMode == SourceMode.Preserve && Transmit != TransmitPath.Raw;

    /// <summary>
    /// Resolves options. An unset Address is <paramref name="controlAddress"/>, except with an
    /// <paramref name="anycastAddress"/> (a cluster): then the control address is the node's own and
    /// BUM traffic arrives at the anycast, so the data plane takes the wildcard of its family.
    /// </summary>
    public static ReplicationSettings From(ReplicationOptions options, string? controlAddress, string? anycastAddress = null) => new()
    {
        DataAddress = IPAddress.Parse(options.Address ?? (string.IsNullOrWhiteSpace(anycastAddress) ? controlAddress : Wildcard(controlAddress, anycastAddress)) ?? "0.0.0.0"),
        DataPort = options.Port,
        DestinationPort = options.DestinationPort,
        SourceMode = options.SourceMode,
        Workers = options.Workers > 0 ? options.Workers : Environment.ProcessorCount,
        ReceiveBatch = options.ReceiveBatch,
        SendBatch = options.SendBatch,
        ReceiveBufferBytes = options.ReceiveBufferBytes,
        Ttl = options.Ttl,
        AcceptUnregistered = options.AcceptUnregistered,
        Transmit = options.Transmit,
        PacketRingFrames = options.PacketRingFrames,
    };

    // "::" (dual stack) as soon as either address is IPv6, so the anycast is covered whatever its family.
    private static string Wildcard(string? controlAddress, string anycastAddress) =>
        IsIPv6(controlAddress) || IsIPv6(anycastAddress) ? "::" : "0.0.0.0";

    private static bool IsIPv6(string? text) =>
        IPAddress.TryParse(text?.Trim(), out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !a.IsIPv4MappedToIPv6;
}
