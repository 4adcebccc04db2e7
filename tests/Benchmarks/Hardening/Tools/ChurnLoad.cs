using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;

namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>
/// Simulates <see cref="ChurnSettings.Vteps"/> VTEPs against one service node: each has its own
/// UDP socket on its own loopback address, joins and leaves random VNIs and refreshes its
/// registrations, while some send BUM datagrams in their VNIs. It keeps the <see cref="Model"/>
/// of what the registry must hold, ends with a full refresh by every VTEP, and drains the peer
/// lists the service node sends back.
/// </summary>
public sealed class ChurnLoad : IDisposable
{
    private readonly ChurnSettings _settings;
    private readonly Random _random;
    private readonly Socket[] _sockets;
    private readonly List<uint>[] _joined;
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly Task[] _receivers;
    private long _peerLists;
    private long _controlDatagrams;
    private long _dataDatagrams;
    private long _sendErrors;
    private long _joins, _leaves, _refreshes;

    /// <param name="createSocket">Makes an unbound UDP socket (tests create it inside a network namespace); null: a plain socket.</param>
    public ChurnLoad(ChurnSettings settings, Func<AddressFamily, Socket>? createSocket = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        createSocket ??= static family => new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _random = new Random(settings.Seed);
        _sockets = new Socket[settings.Vteps];
        _joined = new List<uint>[settings.Vteps];
        for (int i = 0; i < settings.Vteps; i++)
        {
            var socket = createSocket(AddressFamily.InterNetwork);
            socket.ReceiveBufferSize = 1 << 20;
            socket.Bind(new IPEndPoint(settings.VtepAddress(i), 0));
            _sockets[i] = socket;
            _joined[i] = [];
        }
        _receivers = [.. _sockets.Select(s => Task.Run(() => DrainAsync(s)))];
    }

    public RegistryModel Model { get; } = new();

    public async Task<ChurnReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var tick = TimeSpan.FromMilliseconds(10);
        double operationsPerTick = _settings.OperationsPerSecond * tick.TotalSeconds;
        double dataPerTick = _settings.DataPlane is null ? 0 : _settings.DataPerSecond * tick.TotalSeconds;
        double owedOperations = 0, owedData = 0;
        byte[] bum = new byte[64];
        // Start: every VTEP joins one VNI, so the registry is populated from the first second.
        for (int i = 0; i < _sockets.Length; i++) Join(i);
        while (clock.Elapsed < _settings.Duration && !cancellationToken.IsCancellationRequested)
        {
            owedOperations += operationsPerTick;
            for (; owedOperations >= 1; owedOperations--) Operate(_random.Next(_sockets.Length));
            owedData += dataPerTick;
            for (; owedData >= 1; owedData--) SendBum(_random.Next(_sockets.Length), bum);
            await Task.Delay(tick, CancellationToken.None);
        }
        // Final refresh: what the model says is what every VTEP has just told the service node.
        for (int i = 0; i < _sockets.Length; i++)
        {
            if (_joined[i].Count > 0) Refresh(i);
            if ((i & 31) == 31) await Task.Delay(tick, CancellationToken.None);
        }
        return new ChurnReport(_joins, _leaves, _refreshes, Interlocked.Read(ref _controlDatagrams), Interlocked.Read(ref _dataDatagrams),
            Interlocked.Read(ref _peerLists), Interlocked.Read(ref _sendErrors), Model.Count, clock.Elapsed);
    }

    /// <summary>Every VTEP refreshes all its registrations once (as after a service-node restart).</summary>
    public async Task RefreshAllAsync()
    {
        for (int i = 0; i < _sockets.Length; i++)
        {
            if (_joined[i].Count > 0) Refresh(i);
            if ((i & 31) == 31) await Task.Delay(10);
        }
    }

    private void Operate(int vtep)
    {
        int roll = _random.Next(10);
        List<uint> joined = _joined[vtep];
        if (roll < 4 && joined.Count < _settings.MaxVnisPerVtep) Join(vtep);
        else if (roll < 7 && joined.Count > 0) Leave(vtep);
        else if (joined.Count > 0) Refresh(vtep);
        else Join(vtep);
    }

    private void Join(int vtep)
    {
        uint vni = ChurnSettings.FirstVni + (uint)_random.Next(_settings.Vnis);
        if (_joined[vtep].Contains(vni)) return;
        _joined[vtep].Add(vni);
        _joins++;
        var address = _settings.VtepAddress(vtep);
        Model.Join(vni, address, ChurnSettings.NodeId(vtep));
        Send(vtep, new RegisterMessage(ChurnSettings.NodeId(vtep), _settings.HoldTime, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(vni, [address])]));
    }

    private void Leave(int vtep)
    {
        List<uint> joined = _joined[vtep];
        int index = _random.Next(joined.Count);
        uint vni = joined[index];
        joined.RemoveAt(index);
        _leaves++;
        var address = _settings.VtepAddress(vtep);
        Model.Leave(vni, address);
        Send(vtep, new RegisterMessage(ChurnSettings.NodeId(vtep), 0, false, WireResponseWanted.None, [new VniAddresses(vni, [address])]));
    }

    private void Refresh(int vtep)
    {
        _refreshes++;
        var address = _settings.VtepAddress(vtep);
        Send(vtep, new RegisterMessage(ChurnSettings.NodeId(vtep), _settings.HoldTime, false, WireResponseWanted.None,
            [.. _joined[vtep].Select(v => new VniAddresses(v, [address]))]));
    }

    private void Send(int vtep, RegisterMessage message)
    {
        bool sign = _settings.Keys is not null;
        foreach (byte[] datagram in ControlCodec.EncodeRegister(message, reserveAuthenticationTrailer: sign))
        {
            if (sign) _settings.Keys!.Sign(datagram, TimeProvider.System);
            SendTo(vtep, datagram, _settings.ServiceNode);
            Interlocked.Increment(ref _controlDatagrams);
        }
    }

    private void SendBum(int vtep, byte[] bum)
    {
        if (_joined[vtep].Count == 0) return;
        uint vni = _joined[vtep][_random.Next(_joined[vtep].Count)];
        bum.AsSpan().Clear();
        bum[0] = 0x08;
        BinaryPrimitives.WriteUInt32BigEndian(bum.AsSpan(4), vni << 8);
        bum.AsSpan(8, 6).Fill(0xff);
        bum[14] = 0x02;
        bum[19] = (byte)vtep;
        bum[20] = 0x08;
        bum[21] = 0x06;
        SendTo(vtep, bum, _settings.DataPlane!);
        Interlocked.Increment(ref _dataDatagrams);
    }

    private void SendTo(int vtep, byte[] datagram, IPEndPoint destination)
    {
        try
        {
            _sockets[vtep].SendTo(datagram, destination);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    private async Task DrainAsync(Socket socket)
    {
        byte[] buffer = new byte[65536];
        while (!_stopReceiving.IsCancellationRequested)
        {
            try
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopReceiving.Token);
                if (n >= ControlHeader.Size && buffer[3] == (byte)ControlMessageType.PeerList) Interlocked.Increment(ref _peerLists);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP errors from the data plane's copies to our addresses: expected, ignored.
            }
        }
    }

    public void Dispose()
    {
        _stopReceiving.Cancel();
        foreach (var s in _sockets) s.Dispose();
        try { Task.WaitAll(_receivers, TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stopReceiving.Dispose();
    }
}
