using Replicator.Hosting.Authentication;
using System.Net;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Hardening;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Builds and sends peer lists (answers and pushes). Used only on the registry loop, which is
/// why the generation counter needs no synchronisation.
/// </summary>
public sealed class PeerListSender(ControlSocket socket, IReloadableOptions<ServiceNodeOptions> options, ControlAuthentication? authentication = null)
{
    private uint _generation;

    /// <summary>
    /// Sends the peer lists of <paramref name="vnis"/> to <paramref name="destination"/> from
    /// <paramref name="from"/> (answer from the address the question came to); returns the datagrams sent.
    /// </summary>
    public int Send(Registry.Registry registry, IEnumerable<uint> vnis, IPEndPoint destination, ControlSource from = ControlSource.Anycast) =>
        SendEncoded(Encode(registry, vnis), destination, from);

    /// <summary>Encodes once for sending to several destinations (a push goes to every subscriber).</summary>
    public IReadOnlyList<byte[]> Encode(Registry.Registry registry, IEnumerable<uint> vnis)
    {
        uint hold = (uint)Math.Ceiling(options.Current.HoldTime.TotalSeconds);
        bool sign = authentication?.Enabled == true;
        var datagrams = ControlMessages.EncodePeerLists(registry, vnis, hold, unchecked(++_generation), sign);
        if (sign) authentication!.Sign(datagrams);
        return datagrams;
    }

    /// <summary>Sends datagrams from <see cref="Encode"/>; VTEPs expect them from the anycast address (the default).</summary>
    public int SendEncoded(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from = ControlSource.Anycast)
    {
        int sent = 0;
        foreach (var datagram in datagrams)
        {
            if (socket.Send(datagram, destination, from)) sent++;
        }
        return sent;
    }
}
