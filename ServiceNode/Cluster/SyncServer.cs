using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Serves this node's table to starting peers on TCP <c>ControlAddress:SyncPort</c>: opening the
/// connection is the request, the answer is the table as Sync frames, then the connection closes.
/// A node that has not finished its own start-up sync closes at once without a frame (it has no
/// table worth copying; the peer tries another one). A few transfers at a time; each is bounded.
/// Only a node with <c>Peers</c> listens.
/// </summary>
internal sealed class SyncServer : BackgroundService
{
    private const int MaxConcurrentTransfers = 4;
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(30);

    private readonly IReloadableOptions<ClusterOptions> _options;
    private readonly IReloadableOptions<ServiceNodeOptions> _serviceNode;
    private readonly ClusterState _state;
    private readonly IRegistryWriter _writer;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _transfers = new(MaxConcurrentTransfers);
    private Socket? _listener;
    private readonly ControlAuthentication? _authentication;

    public SyncServer(IReloadableOptions<ClusterOptions> options, IReloadableOptions<ServiceNodeOptions> serviceNode, ClusterState state,
        IRegistryWriter writer, ILogger<SyncServer> logger, ControlAuthentication? authentication = null)
    {
        // With a key file (Authentication:KeyFile), every Sync frame is signed like every datagram: a peer that
        // pulls the table verifies it, so no stranger can feed a starting node a table.
        _authentication = authentication?.Enabled == true ? authentication : null;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _serviceNode = serviceNode ?? throw new ArgumentNullException(nameof(serviceNode));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The bound endpoint (the actual port when 0 was configured); null before start.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // A single node (no peers) has nobody to serve: no port is opened.
        if (_state.Peers.Count == 0) return Task.CompletedTask;
        var address = IPAddress.Parse(_serviceNode.Current.ControlAddress);
        int port = _options.Current.SyncPort;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = address.Equals(IPAddress.IPv6Any);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(16);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen for table transfers on {address} port {port} (ServiceNode:Cluster:SyncPort): {ex.Message}", ex);
        }
        _listener = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        ClusterLog.SyncListening(_logger, LocalEndPoint);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _listener, null)?.Dispose();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener;
        if (listener is null) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // the client gave up between SYN and accept
            }
            if (!_transfers.Wait(0))
            {
                client.Dispose(); // enough transfers running; the peer retries or tries another node
                continue;
            }
            _ = ServeAsync(client, stoppingToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        var remote = client.RemoteEndPoint;
        try
        {
            using (client)
            {
                if (!_state.Readiness.IsSynced)
                {
                    ClusterLog.SyncRefusedNotReady(_logger, remote);
                    return;
                }
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TransferTimeout);
                var entries = await _writer.InvokeAsync(SyncSnapshot.Take, timeout.Token);
                var frames = ControlCodec.EncodeSync(entries, reserveAuthenticationTrailer: _authentication is not null);
                _authentication?.Sign(frames);
                await using var stream = new NetworkStream(client, ownsSocket: false);
                foreach (var frame in frames) await SyncFraming.WriteFrameAsync(stream, frame, timeout.Token);
                client.Shutdown(SocketShutdown.Send);
                ClusterLog.SyncServed(_logger, entries.Count, frames.Count, remote);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or ControlEncodeException)
        {
            ClusterLog.SyncServeFailed(_logger, remote, ex.Message);
        }
        finally
        {
            try
            {
                _transfers.Release();
            }
            catch (ObjectDisposedException)
            {
                // The host is gone; nothing waits for the slot.
            }
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _transfers.Dispose();
        base.Dispose();
    }
}
