using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Hardening;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// The control conversation over one UDP socket: registrations out to ServiceNode:ControlPort
/// (split by the codec at the size limit), peer lists in from the service node only: a datagram
/// whose source is not ServiceNode:ControlPort (address and port) is counted and dropped before it
/// is verified, decoded or kept, so nobody else can hold parts in the assembler. Malformed
/// datagrams are counted and dropped.
/// </summary>
internal sealed partial class UdpControlChannel : IControlChannel, IDisposable
{
    private readonly IPEndPoint _serviceNode;
    private readonly RegistrationMetrics _metrics;
    private readonly ILogger<UdpControlChannel> _logger;
    private readonly Socket _socket;
    private readonly string _nodeId;
    private readonly PeerListAssembler _assembler;
    private readonly ControlAuthentication? _authentication;
    private readonly Lock _cookieGate = new(); // the receive pump stores, the daemon loop echoes
    private readonly Lock _assembling = new(); // the receive pump adds parts, the daemon loop's timer gives up quiet lists
    private UInt128? _cookie;
    private UInt128? _cookieSent;
    private DateTimeOffset _nextErrorLog;
    private DateTimeOffset _nextForeignLog;

    /// <param name="authentication">Signs registrations and verifies peer lists when a key file is configured; null: off.</param>
    public UdpControlChannel(StaticSettings settings, RegistrationMetrics metrics, ILogger<UdpControlChannel> logger,
        ControlAuthentication? authentication = null)
    {
        _authentication = authentication?.Enabled == true ? authentication : null;
        ArgumentNullException.ThrowIfNull(settings);
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _serviceNode = new IPEndPoint(settings.ServiceNode, settings.ControlPort);
        _assembler = new PeerListAssembler(TimeProvider.System, metrics);
        // The node identifier tells the service node which registrations belong together; the host
        // name is stable across restarts, as vxfld used it.
        _nodeId = Environment.MachineName is { Length: > 0 and <= ControlLimits.MaxNodeIdBytes } n ? n : "vxrd";
        _socket = new Socket(settings.ServiceNode.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var local = settings.SourceAddress ?? (settings.ServiceNode.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any);
        _socket.Bind(new IPEndPoint(local, 0));
        Replicator.Hosting.Metrics.SocketDrops.Register("control", _socket.SafeHandle);
    }

    public string NodeId => _nodeId;

    public bool CookieRenewed
    {
        get { lock (_cookieGate) return _cookie is not null && _cookie != _cookieSent; }
    }

    public int Send(RegistrationBatch batch)
    {
        var vnis = batch.Entries.GroupBy(e => e.Vni).OrderBy(g => g.Key)
            .Select(g => new VniAddresses(g.Key, [.. g.Select(e => e.Address)])).ToList();
        uint hold = (uint)Math.Min(uint.MaxValue, Math.Ceiling(batch.HoldTime.TotalSeconds));
        var message = new RegisterMessage(_nodeId, hold, Relayed: false,
            batch.WantPeerLists ? WireResponseWanted.RegisteredVnis : WireResponseWanted.None, vnis)
        {
            Cookie = EchoCookie(),
            Generations = batch.Generations is { } held ? [.. vnis.Select(v => new VniGeneration(v.Vni, held.GetValueOrDefault(v.Vni)))] : null,
            Incomplete = batch.NameIncompleteList ? NewestIncomplete() : null,
        };
        if (!ControlCodec.TryEncodeRegister(message, ControlLimits.DefaultMaxDatagramBytes, _authentication is not null, out var datagrams, out var error))
        {
            LogEncodeFailed(_logger, error.ToString());
            return 0;
        }
        _authentication?.Sign(datagrams);
        int sent = 0;
        foreach (var d in datagrams)
        {
            try
            {
                _socket.SendTo(d, SocketFlags.None, _serviceNode);
                sent++;
            }
            catch (SocketException ex)
            {
                // No route, unreachable: the retry schedule sends again; log at most once a minute.
                var now = DateTimeOffset.UtcNow;
                if (now >= _nextErrorLog)
                {
                    _nextErrorLog = now + TimeSpan.FromMinutes(1);
                    LogSendFailed(_logger, _serviceNode, ex.SocketErrorCode);
                }
            }
        }
        return sent;
    }

    public async IAsyncEnumerable<PeerListUpdate> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[ControlLimits.MaxDatagramBytes];
        EndPoint any = _serviceNode.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // An ICMP error reported on the socket; the service node's silence is handled by the registrar.
                continue;
            }
            var sender = (IPEndPoint)received.RemoteEndPoint;
            if (!FromServiceNode(sender)) continue;
            if (_authentication is not null
                && _authentication.Verify(buffer.AsSpan(0, received.ReceivedBytes)) is var verdict and not ControlVerification.Ok)
            {
                _metrics.ControlDropped(verdict.ToTag());
                continue;
            }
            if (!ControlCodec.TryDecode(buffer.AsSpan(0, received.ReceivedBytes), out var message, out var error))
            {
                _metrics.ControlDropped("malformed");
                LogMalformed(_logger, sender, error.ToString());
                continue;
            }
            if (message is not PeerListMessage peerList)
            {
                _metrics.ControlDropped("unexpected_type");
                continue;
            }
            KeepCookie(peerList.Cookie);
            PeerListUpdate? update;
            int incomplete;
            lock (_assembling)
            {
                update = _assembler.Add(sender, peerList);
                incomplete = _assembler.PendingLists;
            }
            if (update is not null) yield return update with { IncompleteLists = incomplete };
            else if (peerList.PartCount > 1 && incomplete > 0) yield return PeerListUpdate.Part(sender, incomplete);
        }
    }

    public (int Quiet, int Remaining) RepairQuiet(TimeSpan quietFor)
    {
        lock (_assembling)
        {
            int quiet = _assembler.RepairQuiet(quietFor);
            return (quiet, _assembler.PendingLists);
        }
    }

    public void Dispose() => _socket.Dispose();

    private IncompleteList? NewestIncomplete()
    {
        lock (_assembling) return _assembler.NewestIncomplete();
    }

    // Only the service node's own address and port may set the cookie we echo: FromServiceNode has
    // already dropped everything else.
    private void KeepCookie(UInt128? cookie)
    {
        if (cookie is null) return;
        lock (_cookieGate) _cookie = cookie;
    }

    private UInt128? EchoCookie()
    {
        lock (_cookieGate) return _cookieSent = _cookie;
    }

    // Peer lists come from the socket vxsnd answers and pushes from: ServiceNode:ControlPort (in a
    // cluster the anycast address, which is the configured ServiceNode). Without authentication the
    // source port is the one thing a spoofer on another port of that host cannot fake.
    private bool FromServiceNode(IPEndPoint sender)
    {
        var address = Hosting.Addressing.AddressPolicy.Normalize(sender.Address);
        string? reason = !address.Equals(_serviceNode.Address) ? "bad_sender" : sender.Port != _serviceNode.Port ? "bad_port" : null;
        if (reason is null) return true;
        _metrics.ControlDropped(reason);
        // Rate-limited: a flood of foreign datagrams must not become a flood of log lines.
        var now = DateTimeOffset.UtcNow;
        if (now >= _nextForeignLog)
        {
            _nextForeignLog = now + TimeSpan.FromMinutes(1);
            LogForeign(_logger, sender, _serviceNode);
        }
        return false;
    }

    [LoggerMessage(EventId = RegistrationDaemonEventIds.RegistrationEncodeFailed, Level = LogLevel.Error, Message = "Cannot encode a registration: {Error}")]
    private static partial void LogEncodeFailed(ILogger logger, string error);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ControlSendFailed, Level = LogLevel.Warning, Message = "Cannot send to the service node {ServiceNode}: {Error} (logged at most once a minute)")]
    private static partial void LogSendFailed(ILogger logger, IPEndPoint serviceNode, SocketError error);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ControlForeignSender, Level = LogLevel.Warning, Message = "Dropped a control datagram from {Sender}: only the service node {ServiceNode} (address and port) may send peer lists (logged at most once a minute; see vxrd.control.dropped, reasons bad_sender and bad_port)")]
    private static partial void LogForeign(ILogger logger, IPEndPoint sender, IPEndPoint serviceNode);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ControlMalformed, Level = LogLevel.Debug, Message = "Dropped a malformed control datagram from {Sender}: {Error}")]
    private static partial void LogMalformed(ILogger logger, IPEndPoint sender, string error);
}
