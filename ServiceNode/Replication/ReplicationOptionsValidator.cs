using System.Net;
using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Replication;

/// <summary>Checks every data-plane key and reports all problems at once, <c>KEY = 'VALUE': PROBLEM</c> as the other vxsnd validators do.</summary>
internal sealed class ReplicationOptionsValidator : IValidateOptions<ReplicationOptions>
{
    /// <summary>sendmmsg and recvmmsg take at most UIO_MAXIOV (1024) messages per call.</summary>
    public const int MaxBatch = 1024;

    /// <summary>Largest PacketRingFrames: 64 MiB of ring per worker and interface at MTU 1500 (2 KiB frames).</summary>
    public const int MaxPacketRingFrames = 32768;

    public ValidateOptionsResult Validate(string? name, ReplicationOptions options)
    {
        var errors = new List<string>();
        const string s = ReplicationOptions.SectionName;
        if (options.Address is { } address && !IPAddress.TryParse(address, out _))
            errors.Add($"{s}:Address = '{address}': not an IP address");
        if (options.Port is < 1 or > 65535)
            errors.Add($"{s}:Port = '{options.Port}': must be 1-65535");
        if (options.DestinationPort is < 1 or > 65535)
            errors.Add($"{s}:DestinationPort = '{options.DestinationPort}': must be 1-65535");
        if (!Enum.IsDefined(options.SourceMode))
            errors.Add($"{s}:SourceMode = '{options.SourceMode}': must be Preserve or Node");
        if (options.Workers is < 0 or > 256)
            errors.Add($"{s}:Workers = '{options.Workers}': must be 0-256 (0: one per core)");
        if (options.ReceiveBatch is < 1 or > MaxBatch)
            errors.Add($"{s}:ReceiveBatch = '{options.ReceiveBatch}': must be 1-{MaxBatch}");
        if (options.SendBatch is < 1 or > MaxBatch)
            errors.Add($"{s}:SendBatch = '{options.SendBatch}': must be 1-{MaxBatch}");
        if (options.ReceiveBufferBytes < 0)
            errors.Add($"{s}:ReceiveBufferBytes = '{options.ReceiveBufferBytes}': must be 0 (kernel default) or more");
        if (options.Ttl is < 1 or > 255)
            errors.Add($"{s}:Ttl = '{options.Ttl}': must be 1-255");
        if (!Enum.IsDefined(options.Transmit))
            errors.Add($"{s}:Transmit = '{options.Transmit}': must be Auto, Packet or Raw");
        else if (options.Transmit == TransmitPath.Packet && options.SourceMode == SourceMode.Node)
            errors.Add($"{s}:Transmit = 'Packet': needs {s}:SourceMode = Preserve (Node-mode copies leave on UDP sockets); use Auto or Raw");
        if (options.PacketRingFrames != 0 && options.PacketRingFrames is < 16 or > MaxPacketRingFrames)
            errors.Add($"{s}:PacketRingFrames = '{options.PacketRingFrames}': must be 0 (sendmmsg, no ring) or 16-{MaxPacketRingFrames}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
