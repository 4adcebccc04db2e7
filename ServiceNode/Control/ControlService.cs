using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Receives control datagrams: decodes them (malformed ones are dropped, counted and logged
/// rate-limited), and hands registrations to the registry loop, which applies them and answers
/// with peer lists when asked, from the address the registration came to. In a cluster with an
/// anycast address two sockets receive (see <see cref="ControlSocket"/>); their datagrams are
/// handled one at a time, as the guard's per-source state expects.
/// </summary>
internal sealed class ControlService : BackgroundService
{
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    private readonly ControlSocket _socket;
    private readonly IRegistryWriter _writer;
    private readonly PeerListSender _sender;
    private readonly IReloadableOptions<ServiceNodeOptions> _options;
    private readonly ControlMetrics _metrics;
    private readonly DropLogLimiter _limiter;
    private readonly ILogger _logger;
    private readonly IRegistrationListener[] _listeners; // cluster hook: the relay
    private readonly ControlGuard? _guard; // hardening: rate limits, authentication, VNIs per source
    private readonly IReloadableOptions<ClusterOptions>? _cluster; // its AnycastAddress gets a socket of its own
    private readonly DeltaReceivers? _receivers; // who gets peer-list deltas (PROTOCOL.md 5.2)
    private readonly IReloadableOptions<ControlLimitsOptions>? _limits; // the control sockets' receive buffer
    private readonly AnswerBatch? _answers; // answers sent at the end of the registry batch; null: at once
    private readonly Lock _handling = new(); // the anycast socket's loop (VTEPs) vs the node socket's (relays): rarely contended
    private volatile bool _stopping;

    public ControlService(ControlSocket socket, IRegistryWriter writer, PeerListSender sender, IReloadableOptions<ServiceNodeOptions> options,
        ControlMetrics metrics, TimeProvider time, ILogger<ControlService> logger, IEnumerable<IRegistrationListener>? listeners = null,
        ControlGuard? guard = null, IReloadableOptions<ClusterOptions>? cluster = null, DeltaReceivers? receivers = null,
        IReloadableOptions<ControlLimitsOptions>? limits = null, AnswerBatch? answers = null)
    {
        _answers = answers;
        _limits = limits;
        _receivers = receivers;
        _cluster = cluster;
        _listeners = [.. listeners ?? []];
        _guard = guard;
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _limiter = new DropLogLimiter(time ?? throw new ArgumentNullException(nameof(time)), DropLogInterval);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var o = _options.Current;
        var address = IPAddress.Parse(o.ControlAddress);
        // The cluster validator has checked it; an empty or absent one means no anycast socket.
        IPAddress? anycast = ClusterOptions.ParseAnycast(_cluster?.Current.AnycastAddress);
        try
        {
            _socket.Bind(address, o.ControlPort, anycast, _limits?.Current.ControlReceiveBufferBytes ?? 0);
        }
        catch (SocketException ex)
        {
            string also = anycast is null ? "" : $" and {anycast} ({ClusterOptions.SectionName}:AnycastAddress)";
            throw new InvalidOperationException($"cannot bind the control socket to {o.ControlAddress}{also} port {o.ControlPort}: {ex.Message}", ex);
        }
        ControlLog.Listening(_logger, _socket.LocalEndPoint!, _socket.ReceiveBufferBytes);
        if (_socket.AnycastEndPoint is { } anycastEndPoint) ControlLog.ListeningAnycast(_logger, anycastEndPoint);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true; // the receive failing on the closed socket is the stop, not an error to log
        _socket.Dispose(); // unblocks the pending receives
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_socket.AnycastSocket is not { } anycast)
        {
            await ReceiveAsync(_socket.Socket!, ControlSource.Node, stoppingToken);
            return;
        }
        // Both loops or neither: a node answering relays but no longer VTEPs (or the reverse) must
        // not go on looking healthy. The first loop to end ends the other, and a fault stops the host.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task[] loops = [ReceiveAsync(_socket.Socket!, ControlSource.Node, either.Token), ReceiveAsync(anycast, ControlSource.Anycast, either.Token)];
        await Task.WhenAny(loops);
        await either.CancelAsync();
        await Task.WhenAll(loops);
    }

    private async Task ReceiveAsync(Socket socket, ControlSource arrivedAt, CancellationToken stoppingToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ControlLimits.MaxDatagramBytes + 1, pinned: true);
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stoppingToken);
            }
            catch (Exception ex) when ((_stopping || stoppingToken.IsCancellationRequested) && ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // ICMP errors reported on the socket, ENOBUFS and the like: not fatal for a datagram service.
                ControlLog.ReceiveFailed(_logger, ex.Message);
                continue;
            }
            lock (_handling) Handle(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, arrivedAt);
        }
    }

    /// <summary>Decodes one datagram and queues its effect on the registry loop. Never throws for bad input.</summary>
    internal void Handle(ReadOnlySpan<byte> datagram, IPEndPoint source, ControlSource arrivedAt = ControlSource.Node)
    {
        bool authenticated = false; // true only when the guard verified a signature (AddControl always composes one)
        if (_guard?.Screen(datagram, source, out authenticated) is { } refused)
        {
            Drop(refused, source, "refused before decoding (rate limit or authentication)");
            return;
        }
        if (!ControlCodec.TryDecode(datagram, out var message, out var error, out string? detail))
        {
            Drop(ControlDropReasons.From(error), source, detail ?? error.ToString());
            return;
        }
        if (message is not RegisterMessage register)
        {
            Drop(ControlDropReason.UnexpectedType, source, $"{message.Type} messages are not accepted by a service node");
            return;
        }
        if (register.HoldTimeSeconds > RegistryLimits.MaxHoldTime.TotalSeconds)
        {
            // Refused here, before the per-source caps reserve anything for it (the registry would refuse it later).
            Drop(ControlDropReason.RejectedInvalid, source, $"hold time {register.HoldTimeSeconds} s is over the most a registration may have ({RegistryLimits.MaxHoldTime.TotalSeconds} s)");
            return;
        }
        if (_guard?.AdmitRegistration(register, source, authenticated) is { } refusal)
        {
            Drop(refusal, source, _guard.Describe(refusal));
            return;
        }
        _sender.OnRegistrationReceived(register, source, datagram.Length, authenticated); // return-routability credit and proof
        _metrics.RegistrationReceived();
        var registration = ControlMessages.ToRegistration(register, source);
        var held = register.Generations;
        var incomplete = register.Incomplete;
        if (!_writer.TryPostRegistration(registry => Apply(registry, registration, arrivedAt, authenticated, held, incomplete)))
            Drop(ControlDropReason.QueueFull, source, $"the registry loop already has {RegistryLoop.RegistrationQueueCapacity} registrations waiting");
    }

    /// <summary>Runs on the registry loop.</summary>
    /// <param name="held">The generations the VTEP holds (Register key 6); null: it does not speak deltas.</param>
    /// <param name="incomplete">The split list the VTEP holds some parts of (Register key 7); null: none named.</param>
    private void Apply(Registry.Registry registry, Registration registration, ControlSource arrivedAt, bool authenticated, IReadOnlyList<VniGeneration>? held = null,
        IncompleteList? incomplete = null)
    {
        var result = registry.Apply(registration);
        if (!result.Succeeded)
        {
            var reason = result.Error is RegistryError.TooManyEntries or RegistryError.TooManyMembers
                ? ControlDropReason.RejectedLimit
                : ControlDropReason.RejectedInvalid;
            Drop(reason, registration.ReplyTo ?? new IPEndPoint(IPAddress.None, 0), result.Message ?? result.Error.ToString());
            return;
        }
        foreach (var listener in _listeners) listener.OnRegistrationApplied(registry, registration);
        if (registration.Relayed || registration.ReplyTo is null) return;
        // A withdrawal says nothing about what the VTEP speaks (vxrd sends them without generations).
        if (registration.HoldTime > TimeSpan.Zero) _receivers?.Note(registration.ReplyTo, held is not null, registration.HoldTime);
        if (registration.Response == Registry.ResponseWanted.None) return;
        var vnis = AnswerScope.Vnis(registry, registration, authenticated);
        if (vnis.Count == 0 && !authenticated) return; // holds nothing: nothing to tell an unproven address
        held = _receivers is null ? null : held; // deltas need the receivers' bookkeeping
        if (_answers is not null) _answers.Add(registry, vnis, held, registration.ReplyTo, arrivedAt, held is null ? null : incomplete); // leaves at the batch's end
        else if (held is not null) _sender.SendAnswer(registry, vnis, held, registration.ReplyTo, arrivedAt);
        else _sender.Send(registry, vnis, registration.ReplyTo, arrivedAt);
    }

    private void Drop(ControlDropReason reason, IPEndPoint source, string detail)
    {
        _metrics.Drop(reason);
        if (_limiter.ShouldLog(reason, out long suppressed))
            ControlLog.Dropped(_logger, source, ControlDropReasons.Tags[(int)reason], detail, suppressed);
    }
}
