using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// One configured peer: connects out, runs the RFC 4271 state machine on one loop (every event
/// of a connection, whether read from the socket, fired by a timer or a change of the exported
/// set, is handled in order on <see cref="RunAsync"/>), and reconnects with back-off. Timers run
/// on the injected <see cref="TimeProvider"/>, so tests drive hold and keepalive expiry.
/// The message handling is in <c>BgpSession.Messages.cs</c>, received routes in <c>BgpSession.Routes.cs</c>,
/// exported changes in <c>BgpSession.Exports.cs</c>.
/// </summary>
internal sealed partial class BgpSession
{
    private readonly BgpSettings _settings;
    private readonly BgpExportTable _exports;
    private readonly IReadOnlyList<IBgpRouteListener> _listeners;
    private readonly BgpMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BgpBackoff _backoff;
    private readonly Func<AddressFamily, Socket>? _createSocket;

    // Status, written by the loop, read by status and metrics from any thread.
    private volatile int _state = (int)BgpSessionState.Idle;
    private long _establishedAtTicks;
    private long _updatesReceived;
    private long _updatesSent;
    private long _routesAdvertised;
    private long _macIpRoutesSeen;
    private long _exportOverflows;
    private volatile string? _lastError;
    private volatile int _routesReceived;

    public BgpSession(BgpPeerId peer, BgpSettings settings, BgpExportTable exports, IReadOnlyList<IBgpRouteListener> listeners, BgpMetrics metrics,
        TimeProvider time, ILogger logger, Random? random = null, Func<AddressFamily, Socket>? createSocket = null)
    {
        _createSocket = createSocket;
        Peer = peer;
        PeerText = peer.ToString();
        _settings = settings;
        _exports = exports;
        _listeners = listeners;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _backoff = new BgpBackoff(settings.ConnectRetry, settings.ConnectRetryMax, random ?? Random.Shared);
    }

    public BgpPeerId Peer { get; }
    public string PeerText { get; }
    public BgpSessionState State => (BgpSessionState)_state;
    public long RoutesReceived => _routesReceived;
    public long RoutesAdvertised => Interlocked.Read(ref _routesAdvertised);
    public long MacIpRoutesSeen => Interlocked.Read(ref _macIpRoutesSeen);
    /// <summary>Times the peer fell more than <c>MaxQueuedChangesPerPeer</c> changes behind and was resynchronised.</summary>
    public long ExportOverflows => Interlocked.Read(ref _exportOverflows);
    public string? LastError => _lastError;
    public string RouterIdText => BgpSettings.RouterIdText(_settings.RouterId);

    public BgpSessionStatus Status => new(Peer, State.ToString(),
        State == BgpSessionState.Established && Interlocked.Read(ref _establishedAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null,
        RoutesReceived, RoutesAdvertised, Interlocked.Read(ref _updatesReceived), Interlocked.Read(ref _updatesSent), LastError);

    /// <summary>Connects, runs, reconnects, until <paramref name="stopping"/>; a stop sends Cease (administrative shutdown) on an open session.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            bool established = await RunConnectionAsync(stopping);
            if (stopping.IsCancellationRequested) break;
            if (established) _backoff.Reset();
            TimeSpan delay = _backoff.Next();
            // The timer exists before the state says Active, so whoever sees Active (a test moving the clock) sees it running.
            Task wait = Task.Delay(delay, _time, stopping);
            SetState(BgpSessionState.Active);
            BgpLog.ConnectFailed(_logger, PeerText, _lastError ?? "closed", delay);
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        SetState(BgpSessionState.Idle);
    }

    /// <summary>One connection from connect to close; true when it reached Established.</summary>
    private async Task<bool> RunConnectionAsync(CancellationToken stopping)
    {
        SetState(BgpSessionState.Connect);
        BgpConnection connection;
        try
        {
            connection = await BgpConnection.ConnectAsync(Peer.EndPoint, _settings.LocalAddress, _settings.Md5Key, _time, _createSocket, stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            _lastError = $"connect: {e.Message}";
            return false;
        }

        // Export changes do not queue here but in the bounded BgpExportQueue, which posts one wake-up at a time; timers
        // post one event per expiry. The reader posts every message the peer sends and keeps reading while the loop is
        // blocked sending: two speakers sending their tables at once must never wait on each other.
        var events = Channel.CreateUnbounded<BgpSessionEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var exportQueue = new BgpExportQueue(_settings.MaxQueuedChangesPerPeer, () => events.Writer.TryWrite(BgpSessionEvent.ExportsChanged));
        var context = new ConnectionContext(connection, events, exportQueue);
        using ITimer holdTimer = _time.CreateTimer(_ => events.Writer.TryWrite(BgpSessionEvent.HoldExpired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using ITimer keepaliveTimer = _time.CreateTimer(_ => events.Writer.TryWrite(BgpSessionEvent.KeepaliveDue), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        context.HoldTimer = holdTimer;
        context.KeepaliveTimer = keepaliveTimer;
        Task reader = connection.ReadLoopAsync(events.Writer.TryWrite, readerStop.Token);
        bool reachedEstablished = false;
        try
        {
            holdTimer.Change(BgpSettings.OpenHoldTime, Timeout.InfiniteTimeSpan);
            await SendAsync(context, BgpOpenMessage.Create(_settings.LocalAs, _settings.HoldTimeSeconds, _settings.RouterId), stopping);
            SetState(BgpSessionState.OpenSent);
            while (true)
            {
                BgpSessionEvent e = await events.Reader.ReadAsync(stopping);
                string? closeReason = await HandleAsync(context, e, stopping);
                reachedEstablished |= State == BgpSessionState.Established;
                if (closeReason is not null)
                {
                    Close(context, closeReason);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await ShutdownAsync(context);
            Close(context, "administrative shutdown");
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Close(context, $"send failed: {e.Message}");
        }
        finally
        {
            _exports.Unsubscribe(exportQueue);
            readerStop.Cancel();
            connection.Dispose();
            await reader;
        }
        return reachedEstablished;
    }

    /// <summary>Cease / administrative shutdown (RFC 4486, 8203) on the way out, bounded so a stuck peer does not hold the stop.</summary>
    private async Task ShutdownAsync(ConnectionContext context)
    {
        if (State < BgpSessionState.OpenSent) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await SendNotificationAsync(context, BgpErrorCode.Cease, (byte)BgpCeaseSubcode.AdministrativeShutdown, [], timeout.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private void Close(ConnectionContext context, string reason)
    {
        BgpSessionState was = State;
        _lastError = reason;
        context.HoldTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        context.KeepaliveTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (was == BgpSessionState.Established) LoseRoutes();
        Interlocked.Exchange(ref _routesAdvertised, 0);
        SetState(BgpSessionState.Idle);
        BgpLog.Closed(_logger, PeerText, was, reason);
    }

    private void SetState(BgpSessionState state) => _state = (int)state;

    private async Task SendAsync(ConnectionContext context, BgpMessage message, CancellationToken cancellationToken)
    {
        await context.Connection.SendAsync(BgpEncoder.Encode(message), cancellationToken);
        if (message is BgpUpdateMessage)
        {
            Interlocked.Increment(ref _updatesSent);
            _metrics.UpdateSent(this);
        }
    }

    private async Task SendNotificationAsync(ConnectionContext context, BgpErrorCode code, byte subcode, byte[] data, CancellationToken cancellationToken)
    {
        _metrics.Notification(sent: true, code);
        await context.Connection.SendAsync(BgpEncoder.Encode(new BgpNotificationMessage(code, subcode, data)), cancellationToken);
    }

    /// <summary>What one connection's loop keeps: the socket, its event queue, its timers, what OPEN negotiated.</summary>
    private sealed class ConnectionContext(BgpConnection connection, Channel<BgpSessionEvent> events, BgpExportQueue exportQueue)
    {
        public BgpConnection Connection { get; } = connection;
        public Channel<BgpSessionEvent> Events { get; } = events;
        /// <summary>Export changes not yet sent (subscribed once Established).</summary>
        public BgpExportQueue ExportQueue { get; } = exportQueue;
        public ITimer? HoldTimer { get; set; }
        public ITimer? KeepaliveTimer { get; set; }
        public TimeSpan HoldTime { get; set; }
        public bool FourOctetAs { get; set; } = true;
        public bool LimitLogged { get; set; }
        public uint PeerRouterId { get; set; }
        /// <summary>The routes announced on this connection, as last sent (routes advertised = its count; a resynchronisation compares against it).</summary>
        public Dictionary<EvpnMulticastRouteKey, EvpnMulticastRoute> Advertised { get; } = [];
    }
}
