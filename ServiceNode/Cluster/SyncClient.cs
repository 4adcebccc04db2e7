using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.ServiceNode.Cluster;

/// <summary>Pulls a peer's whole table over TCP (PROTOCOL.md section 7): connect, read frames until the one marked last.</summary>
internal static class SyncClient
{
    /// <summary>Reads the complete table; a transfer that ends early or carries anything else fails whole.</summary>
    /// <param name="maxEntries">More entries than this fail the transfer (this node could not hold them anyway).</param>
    /// <exception cref="SyncException">The transfer did not complete: refused, closed before the last frame, malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the sync deadline).</exception>
    /// <param name="authentication">When enabled, every frame must carry a valid signature of a listed key.</param>
    public static async Task<List<SyncEntry>> FetchAsync(IPEndPoint peer, int maxEntries, CancellationToken cancellationToken,
        ControlAuthentication? authentication = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(peer, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new SyncException($"cannot connect: {ex.SocketErrorCode}", ex);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var entries = new List<SyncEntry>();
        int frames = 0;
        while (true)
        {
            byte[]? frame;
            try
            {
                frame = await SyncFraming.ReadFrameAsync(stream, ControlLimits.DefaultMaxSyncFrameBytes, cancellationToken);
            }
            catch (Exception ex) when (ex is SyncFramingException or IOException)
            {
                throw new SyncException($"transfer broken after {frames} frame(s): {ex.Message}", ex);
            }
            if (frame is null)
            {
                throw new SyncException(frames == 0
                    ? "closed without sending anything (the peer is itself starting, or refused)"
                    : $"closed after {frames} frame(s), before the last one");
            }
            frames++;
            if (authentication is { Enabled: true } && authentication.Verify(frame) is var verdict && verdict != ControlVerification.Ok)
                throw new SyncException($"frame {frames} refused by authentication: {verdict}");
            if (!ControlCodec.TryDecode(frame, out var message, out var error, out string? detail))
                throw new SyncException($"frame {frames} is malformed: {error} {detail}");
            if (message is not SyncMessage sync)
                throw new SyncException($"frame {frames} is a {message.Type} message, not Sync");
            if ((long)entries.Count + sync.Entries.Count > maxEntries)
                throw new SyncException($"more than {maxEntries} entries offered");
            entries.AddRange(sync.Entries);
            if (sync.Last) return entries;
        }
    }
}
