using System.Net;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Builds and sends peer lists (answers and pushes): the one place control datagrams to VTEPs
/// leave, so the return-routability budget is applied here (<see cref="ReturnRoutability"/>).
/// Used only on the registry loop, which is why the generation counter needs no synchronisation.
/// </summary>
internal sealed class PeerListSender(ControlSocket socket, IReloadableOptions<RegistryOptions> options, ControlAuthentication? authentication = null,
    ReturnRoutability? returnRoutability = null)
{
    private uint _generation;

    private bool Budgeted => returnRoutability?.Enabled == true;

    /// <summary>
    /// Sends the peer lists of <paramref name="vnis"/> to <paramref name="destination"/> from
    /// <paramref name="from"/> (answer from the address the question came to); returns the datagrams sent.
    /// </summary>
    public int Send(Registry.Registry registry, IEnumerable<uint> vnis, IPEndPoint destination, ControlSource from = ControlSource.Anycast) =>
        SendEncoded(Encode(registry, vnis), destination, from);

    /// <summary>Encodes once for sending to several destinations (a push goes to every subscriber).</summary>
    public IReadOnlyList<byte[]> Encode(Registry.Registry registry, IEnumerable<uint> vnis)
    {
        uint hold = HoldTimeSeconds;
        bool sign = authentication?.Enabled == true;
        // Without authentication every list carries the receiver's cookie: room for it now, the bytes per receiver at sending.
        var datagrams = ControlMessages.EncodePeerLists(registry, vnis, hold, unchecked(++_generation), sign, Budgeted ? UInt128.Zero : null);
        if (sign) authentication!.Sign(datagrams);
        return datagrams;
    }

    /// <summary>
    /// A registration arrived (control receive loop): credits its source's budget and notes a valid
    /// cookie. Thread-safe, unlike the rest of this class.
    /// </summary>
    public void OnRegistrationReceived(RegisterMessage register, IPEndPoint source, int datagramBytes, bool authenticated = false) =>
        returnRoutability?.OnRegistration(register, source.Address, datagramBytes, authenticated);

    /// <summary>
    /// Sends datagrams from <see cref="Encode"/>; VTEPs expect them from the anycast address (the default).
    /// To an address that has not proven it receives, the whole list goes only when its budget covers
    /// it; otherwise one cookie-only list does (when that fits), so a real VTEP proves itself at once.
    /// </summary>
    public int SendEncoded(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from = ControlSource.Anycast)
    {
        if (!Budgeted) return SendAll(datagrams, destination, from);
        ReturnRoutability rr = returnRoutability!;
        UInt128 cookie = rr.CookieFor(destination.Address);
        long total = 0;
        foreach (var datagram in datagrams) total += datagram.Length;
        if (rr.TrySpend(destination.Address, total) != ReturnVerdict.Withheld)
        {
            // In place: a push's datagrams go to one subscriber after the other, each with its own cookie.
            foreach (var datagram in datagrams) ControlCodec.TryWriteCookie(datagram, cookie);
            // Transitional state: the cookie is inside the signed bytes, so each receiver's copy is signed again.
            if (authentication?.Enabled == true) authentication.Sign(datagrams);
            return SendAll(datagrams, destination, from);
        }
        rr.Metrics.WithheldAdd(datagrams.Count, total);
        bool sign = authentication?.Enabled == true;
        byte[] cookieOnly = ControlCodec.Encode(new PeerListMessage(HoldTimeSeconds, [], unchecked(++_generation)) { Cookie = cookie }, sign);
        if (sign) authentication!.Sign([cookieOnly]);
        if (rr.TrySpend(destination.Address, cookieOnly.Length) == ReturnVerdict.Withheld) return 0;
        rr.Metrics.CookieListSent();
        return socket.Send(cookieOnly, destination, from) ? 1 : 0;
    }

    private uint HoldTimeSeconds => (uint)Math.Ceiling(options.Current.HoldTime.TotalSeconds);

    private int SendAll(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from)
    {
        int sent = 0;
        foreach (var datagram in datagrams)
        {
            if (socket.Send(datagram, destination, from)) sent++;
        }
        return sent;
    }
}
