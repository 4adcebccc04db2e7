using System.Net;

namespace Replicator.ServiceNode.Replication;

/// <summary>The validated, resolved settings one worker runs with (addresses parsed, worker count decided).</summary>
public sealed record ReplicationSettings
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

    /// <summary>Resolves options; <paramref name="controlAddress"/> is the fallback for an unset DataAddress.</summary>
    public static ReplicationSettings From(ReplicationOptions options, string? controlAddress) => new()
    {
        DataAddress = IPAddress.Parse(options.DataAddress ?? controlAddress ?? "0.0.0.0"),
        DataPort = options.DataPort,
        DestinationPort = options.DestinationPort,
        SourceMode = options.SourceMode,
        Workers = options.Workers > 0 ? options.Workers : Environment.ProcessorCount,
        ReceiveBatch = options.ReceiveBatch,
        SendBatch = options.SendBatch,
        ReceiveBufferBytes = options.ReceiveBufferBytes,
        Ttl = options.Ttl,
        AcceptUnregistered = options.AcceptUnregistered,
    };
}
