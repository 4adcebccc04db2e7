using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>The adapter between the wire codec's messages and the registry's domain types.</summary>
internal static class ControlMessages
{
    public static Registration ToRegistration(RegisterMessage message, IPEndPoint source)
    {
        var vnis = new VniRegistration[message.Vnis.Count];
        for (int i = 0; i < vnis.Length; i++)
        {
            var wire = message.Vnis[i];
            var addresses = new VtepAddress[wire.Addresses.Count];
            for (int j = 0; j < addresses.Length; j++) addresses[j] = VtepAddress.FromIPAddress(wire.Addresses[j]);
            vnis[i] = new VniRegistration(wire.Vni, addresses);
        }
        var response = message.ResponseWanted switch
        {
            WireResponseWanted.RegisteredVnis => Registry.ResponseWanted.RegisteredVnis,
            WireResponseWanted.AllVnis => Registry.ResponseWanted.AllVnis,
            _ => Registry.ResponseWanted.None,
        };
        return new Registration(message.NodeId, TimeSpan.FromSeconds(message.HoldTimeSeconds), message.Relayed, response, vnis, Hosting.Addressing.AddressPolicy.Normalize(source));
    }

    /// <summary>Peer lists of <paramref name="vnis"/> (a VNI without members gets an empty list), encoded as datagrams.</summary>
    /// <param name="cookie">Put in every part (PROTOCOL.md 5.1); the sender replaces it per receiver with <see cref="ControlCodec.TryWriteCookie"/>.</param>
    /// <param name="instance">This run of the service node (PROTOCOL.md 5.3); null: not named.</param>
    public static IReadOnlyList<byte[]> EncodePeerLists(Registry.Registry registry, IEnumerable<uint> vnis, uint holdTimeSeconds, uint generation, bool reserveAuthenticationTrailer = false,
        UInt128? cookie = null, uint? instance = null)
    {
        var lists = new List<VniAddresses>();
        var members = new List<VtepAddress>();
        foreach (uint vni in vnis)
        {
            members.Clear();
            registry.CollectMembers(vni, members);
            var addresses = new IPAddress[members.Count];
            for (int i = 0; i < addresses.Length; i++) addresses[i] = members[i].ToIPAddress();
            lists.Add(new VniAddresses(vni, addresses));
        }
        return ControlCodec.EncodePeerList(new PeerListMessage(holdTimeSeconds, lists, generation) { Cookie = cookie, Instance = instance }, reserveAuthenticationTrailer: reserveAuthenticationTrailer);
    }
}
