using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>
/// The other end of a session, scripted by the test: a TCP listener on 127.0.0.1 that accepts the
/// speaker's connections and reads and writes whole BGP messages with our codec. Every wait has a
/// generous deadline: a slow machine makes a test slower, never wrong.
/// </summary>
internal sealed class ScriptedBgpPeer : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _connection;

    /// <param name="receiveBufferBytes">SO_RCVBUF of the accepted connections (set on the listener, which they inherit it from); null: the kernel's default.</param>
    public ScriptedBgpPeer(int? receiveBufferBytes = null)
    {
        if (receiveBufferBytes is { } bytes) _listener.Server.ReceiveBufferSize = bytes;
        _listener.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Waits for the speaker's next connection (the previous one, if any, is closed).</summary>
    public async Task AcceptAsync()
    {
        _connection?.Dispose();
        using var cts = new CancellationTokenSource(Deadline);
        _connection = await _listener.AcceptSocketAsync(cts.Token);
    }

    /// <summary>True when a connection arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> TryAcceptAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            _connection?.Dispose();
            _connection = await _listener.AcceptSocketAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public Task SendAsync(BgpMessage message) => SendRawAsync(BgpEncoder.Encode(message));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Deadline);
        await Connection.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    /// <summary>The next message the speaker sent; null when it closed the connection.</summary>
    public async Task<BgpMessage?> ReadAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        byte[] header = new byte[BgpConstants.HeaderLength];
        if (!await ReadExactlyAsync(header, cts.Token)) return null;
        Assert.Equal(BgpDecodeError.None, BgpCodec.TryReadHeader(header, out _, out int length));
        byte[] message = new byte[length];
        header.CopyTo(message, 0);
        Assert.True(await ReadExactlyAsync(message.AsMemory(BgpConstants.HeaderLength), cts.Token));
        BgpDecodeResult result = BgpCodec.Decode(message);
        Assert.Equal(BgpDecodeError.None, result.Error);
        return result.Message;
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/>; KEEPALIVEs in between are skipped when <typeparamref name="T"/> is not one.</summary>
    public async Task<T> ExpectAsync<T>() where T : BgpMessage
    {
        while (true)
        {
            BgpMessage? message = await ReadAsync();
            Assert.NotNull(message);
            if (message is T t) return t;
            Assert.IsType<BgpKeepaliveMessage>(message);
        }
    }

    /// <summary>Reads until the speaker closes; true when it did within the deadline.</summary>
    public async Task<bool> ClosedAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        byte[] buffer = new byte[4096];
        try
        {
            while (await Connection.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>The peer's side of a normal open: reads our OPEN, sends its own, confirms, and reads our KEEPALIVE.</summary>
    public async Task<BgpOpenMessage> OpenAsync(BgpOpenMessage? own = null)
    {
        var open = await ExpectAsync<BgpOpenMessage>();
        await SendAsync(own ?? BgpOpenMessage.Create(65000, 30, 0xc0000201));
        await ExpectAsync<BgpKeepaliveMessage>();
        await SendAsync(BgpKeepaliveMessage.Instance);
        return open;
    }

    public void CloseConnection() => _connection?.Dispose();

    private Socket Connection => _connection ?? throw new InvalidOperationException("no connection accepted yet");

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await Connection.ReceiveAsync(buffer[read..], SocketFlags.None, ct);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        _listener.Stop();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
