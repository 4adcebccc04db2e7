using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.ServiceNode.Tests.Loopback;

/// <summary>
/// A fake VTEP's control side: sends registrations, collects peer lists. It sends from a loopback
/// address and registers others, which only a signed registration may do: give it the daemon's
/// <paramref name="keys"/>.
/// </summary>
internal sealed class TestVtep(IPEndPoint serviceNode, AuthKeyRing? keys = null) : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(serviceNode.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));

    public async Task RegisterAsync(string nodeId, uint hold, WireResponseWanted response, uint vni, IPAddress address)
    {
        foreach (var datagram in ControlCodec.EncodeRegister(new RegisterMessage(nodeId, hold, false, response, [new VniAddresses(vni, [address])]), reserveAuthenticationTrailer: keys is not null))
        {
            keys?.Sign(datagram, TimeProvider.System);
            await _udp.SendAsync(datagram, serviceNode);
        }
    }

    public Task SendRawAsync(byte[] datagram) => _udp.SendAsync(datagram, serviceNode).AsTask();

    /// <summary>Waits for a peer list of <paramref name="vni"/> that satisfies <paramref name="condition"/>; returns its members, or null on timeout.</summary>
    public async Task<IReadOnlyList<IPAddress>?> WaitForPeerListAsync(uint vni, Func<IReadOnlyList<IPAddress>, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var received = await _udp.ReceiveAsync(cts.Token);
                if (ControlCodec.TryDecode(received.Buffer, out var message, out _) && message is PeerListMessage list)
                {
                    foreach (var v in list.Vnis)
                    {
                        if (v.Vni == vni && condition(v.Addresses)) return v.Addresses;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _udp.Dispose();
}
