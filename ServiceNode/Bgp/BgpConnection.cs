using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;
using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// One TCP connection to a peer, connected out (the speaker never listens). Optional local
/// address and TCP-MD5 key are set before connect, so the SYN already carries the signature.
/// </summary>
internal sealed class BgpConnection : IDisposable
{
    private readonly Socket _socket;

    private BgpConnection(Socket socket) => _socket = socket;

    public EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    /// <exception cref="SocketException">Connect refused, unreachable, or timed out.</exception>
    /// <exception cref="IOException">The TCP-MD5 key could not be set.</exception>
    /// <param name="createSocket">Makes the TCP socket for an address family; null: an ordinary one (tests make it in a network namespace).</param>
    public static async Task<BgpConnection> ConnectAsync(IPEndPoint peer, IPAddress? localAddress, byte[]? md5Key, TimeProvider time,
        Func<AddressFamily, Socket>? createSocket, CancellationToken cancellationToken)
    {
        Socket socket = createSocket?.Invoke(peer.AddressFamily) ?? new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        try
        {
            if (localAddress is not null && localAddress.AddressFamily == peer.AddressFamily) socket.Bind(new IPEndPoint(localAddress, 0));
            if (md5Key is not null)
            {
                Errno errno = LibC.SetTcpMd5Signature((int)socket.SafeHandle.DangerousGetHandle(), peer.Address, md5Key);
                if (errno != Errno.SUCCESS) throw new IOException($"TCP_MD5SIG for {peer.Address}: {errno}");
            }
            using var timeout = new CancellationTokenSource(BgpSettings.ConnectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await socket.ConnectAsync(peer, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }
            return new BgpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads messages until the connection ends, each posted whole to <paramref name="post"/>; a
    /// bad header is posted as <see cref="BgpSessionEvent.HeaderRejected"/> and ends the reading.
    /// Never throws: the end is posted as <see cref="BgpSessionEvent.ConnectionLost"/>.
    /// </summary>
    public async Task ReadLoopAsync(Func<BgpSessionEvent, bool> post, CancellationToken cancellationToken)
    {
        byte[] header = new byte[BgpConstants.HeaderLength];
        try
        {
            while (true)
            {
                if (!await ReadExactlyAsync(header, cancellationToken))
                {
                    post(new BgpSessionEvent.ConnectionLost("the peer closed the connection"));
                    return;
                }
                BgpDecodeError error = BgpCodec.TryReadHeader(header, out BgpMessageType type, out int length);
                if (error != BgpDecodeError.None)
                {
                    post(new BgpSessionEvent.HeaderRejected(error, (byte)type, length));
                    return;
                }
                byte[] message = new byte[length];
                header.CopyTo(message, 0);
                if (!await ReadExactlyAsync(message.AsMemory(BgpConstants.HeaderLength), cancellationToken))
                {
                    post(new BgpSessionEvent.ConnectionLost("the peer closed the connection mid-message"));
                    return;
                }
                post(new BgpSessionEvent.MessageRead(message));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            post(new BgpSessionEvent.ConnectionLost($"read failed: {e.Message}"));
        }
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public async Task SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < message.Length) sent += await _socket.SendAsync(message.AsMemory(sent), SocketFlags.None, cancellationToken);
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }
}
