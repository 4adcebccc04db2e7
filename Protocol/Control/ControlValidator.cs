using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Replicator.Protocol.Control;

/// <summary>Checks a message before encoding, so that nothing invalid ever reaches the wire.</summary>
internal static class ControlValidator
{
    // Throws on lone surrogates instead of silently writing U+FFFD: a node identifier must round-trip.
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="checkCounts">False when the message is about to be split, so only each part must respect the per-message limits.</param>
    public static ControlEncodeError Validate(ControlMessage message, bool checkCounts, out string detail)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case RegisterMessage r:
                if (!ValidNodeId(r.NodeId)) { detail = $"node id '{r.NodeId}' must be 1..{ControlLimits.MaxNodeIdBytes} UTF-8 bytes"; return ControlEncodeError.InvalidNodeId; }
                if (r.ResponseWanted > WireResponseWanted.AllVnis) { detail = $"response wanted {(int)r.ResponseWanted} undefined"; return ControlEncodeError.InvalidValue; }
                if (ValidateGenerations(r.Generations, checkCounts, out detail) is var g and not ControlEncodeError.None) return g;
                if (r.Incomplete?.Problem() is { } problem) { detail = $"incomplete list: {problem}"; return ControlEncodeError.InvalidValue; }
                return ValidateVnis(r.Vnis, checkCounts, out detail);
            case PeerListMessage p:
                if (p.PartCount == 0 || p.PartIndex >= p.PartCount) { detail = $"part {p.PartIndex} of {p.PartCount}"; return ControlEncodeError.InvalidValue; }
                if (p.Instance == 0) { detail = "instance 0"; return ControlEncodeError.InvalidValue; }
                if (ValidateGenerations(p.Generations, checkCounts, out detail) is var pg and not ControlEncodeError.None) return pg;
                if (ValidateDeltas(p.Deltas, checkCounts, out detail) is var pd and not ControlEncodeError.None) return pd;
                return ValidateVnis(p.Vnis, checkCounts, out detail);
            case SyncMessage s:
                ArgumentNullException.ThrowIfNull(s.Entries);
                if (checkCounts && s.Entries.Count > ControlLimits.MaxEntriesPerMessage) { detail = $"{s.Entries.Count} entries"; return ControlEncodeError.TooManyEntries; }
                for (int i = 0; i < s.Entries.Count; i++) // indexed: foreach over the interface would box an enumerator
                {
                    SyncEntry e = s.Entries[i];
                    ArgumentNullException.ThrowIfNull(e);
                    if (e.Vni > ControlLimits.MaxVni) { detail = $"VNI {e.Vni}"; return ControlEncodeError.VniOutOfRange; }
                    if (!ValidAddress(e.Address)) { detail = $"address {e.Address} in VNI {e.Vni}"; return ControlEncodeError.InvalidAddress; }
                    if (!ValidNodeId(e.NodeId)) { detail = $"node id '{e.NodeId}'"; return ControlEncodeError.InvalidNodeId; }
                    if (e.Source > WireEntrySource.Static) { detail = $"source {(int)e.Source} undefined"; return ControlEncodeError.InvalidValue; }
                }
                detail = "";
                return ControlEncodeError.None;
            default:
                throw new ArgumentException($"unknown message type {message.GetType()}", nameof(message));
        }
    }

    private static ControlEncodeError ValidateVnis(IReadOnlyList<VniAddresses> vnis, bool checkCounts, out string detail)
    {
        ArgumentNullException.ThrowIfNull(vnis);
        if (checkCounts && vnis.Count > ControlLimits.MaxEntriesPerMessage) { detail = $"{vnis.Count} VNIs"; return ControlEncodeError.TooManyEntries; }
        HashSet<uint> seen = VniSet.Rent(vnis.Count);
        long addresses = 0;
        for (int i = 0; i < vnis.Count; i++) // indexed: foreach over the interface would box an enumerator
        {
            VniAddresses v = vnis[i];
            ArgumentNullException.ThrowIfNull(v);
            ArgumentNullException.ThrowIfNull(v.Addresses);
            if (v.Vni > ControlLimits.MaxVni) { detail = $"VNI {v.Vni} above {ControlLimits.MaxVni}"; return ControlEncodeError.VniOutOfRange; }
            if (!seen.Add(v.Vni)) { detail = $"VNI {v.Vni} listed twice"; return ControlEncodeError.DuplicateVni; }
            for (int j = 0; j < v.Addresses.Count; j++)
            {
                IPAddress a = v.Addresses[j];
                if (!ValidAddress(a)) { detail = $"address {a} in VNI {v.Vni} is not IPv4 or IPv6"; return ControlEncodeError.InvalidAddress; }
            }
            addresses += v.Addresses.Count;
        }
        if (checkCounts && addresses > ControlLimits.MaxEntriesPerMessage) { detail = $"{addresses} addresses"; return ControlEncodeError.TooManyEntries; }
        detail = "";
        return ControlEncodeError.None;
    }

    private static ControlEncodeError ValidateGenerations(IReadOnlyList<VniGeneration>? generations, bool checkCounts, out string detail)
    {
        detail = "";
        if (generations is null) return ControlEncodeError.None;
        if (checkCounts && generations.Count > ControlLimits.MaxEntriesPerMessage) { detail = $"{generations.Count} VNI generations"; return ControlEncodeError.TooManyEntries; }
        HashSet<uint> seen = VniSet.Rent(generations.Count);
        for (int i = 0; i < generations.Count; i++)
        {
            uint vni = generations[i].Vni;
            if (vni > ControlLimits.MaxVni) { detail = $"VNI {vni} above {ControlLimits.MaxVni}"; return ControlEncodeError.VniOutOfRange; }
            if (!seen.Add(vni)) { detail = $"VNI {vni} has two generations"; return ControlEncodeError.DuplicateVni; }
        }
        return ControlEncodeError.None;
    }

    private static ControlEncodeError ValidateDeltas(IReadOnlyList<PeerListDelta>? deltas, bool checkCounts, out string detail)
    {
        detail = "";
        if (deltas is null) return ControlEncodeError.None;
        if (checkCounts && deltas.Count > ControlLimits.MaxEntriesPerMessage) { detail = $"{deltas.Count} deltas"; return ControlEncodeError.TooManyEntries; }
        long addresses = 0;
        for (int i = 0; i < deltas.Count; i++)
        {
            PeerListDelta d = deltas[i];
            ArgumentNullException.ThrowIfNull(d);
            ArgumentNullException.ThrowIfNull(d.Added);
            ArgumentNullException.ThrowIfNull(d.Removed);
            if (d.Vni > ControlLimits.MaxVni) { detail = $"VNI {d.Vni} above {ControlLimits.MaxVni}"; return ControlEncodeError.VniOutOfRange; }
            for (int j = 0; j < d.Added.Count; j++)
                if (!ValidAddress(d.Added[j])) { detail = $"added address {d.Added[j]} in VNI {d.Vni} is not IPv4 or IPv6"; return ControlEncodeError.InvalidAddress; }
            for (int j = 0; j < d.Removed.Count; j++)
                if (!ValidAddress(d.Removed[j])) { detail = $"removed address {d.Removed[j]} in VNI {d.Vni} is not IPv4 or IPv6"; return ControlEncodeError.InvalidAddress; }
            addresses += d.Added.Count + d.Removed.Count;
        }
        if (checkCounts && addresses > ControlLimits.MaxEntriesPerMessage) { detail = $"{addresses} delta addresses"; return ControlEncodeError.TooManyEntries; }
        return ControlEncodeError.None;
    }

    private static bool ValidAddress(IPAddress? address) =>
        address is not null && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;

    private static bool ValidNodeId(string? nodeId)
    {
        if (string.IsNullOrEmpty(nodeId)) return false;
        try
        {
            int length = StrictUtf8.GetByteCount(nodeId);
            return length <= ControlLimits.MaxNodeIdBytes;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
