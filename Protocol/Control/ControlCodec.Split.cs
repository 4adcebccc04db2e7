using System.Net;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Control;

public static partial class ControlCodec
{
    /// <summary>
    /// Encodes a registration as one or more self-contained datagrams, each at most
    /// <paramref name="maxDatagramBytes"/> (trailer included when reserved). VNIs keep their
    /// order; a VNI whose addresses do not fit in one datagram continues in the next. With
    /// <see cref="WireResponseWanted.AllVnis"/> only the first datagram asks for it (the others say
    /// <see cref="WireResponseWanted.None"/>), so the service node answers once.
    /// </summary>
    /// <exception cref="ControlEncodeException">Invalid message, or a maximum too small for one entry.</exception>
    public static IReadOnlyList<byte[]> EncodeRegister(RegisterMessage message, int maxDatagramBytes = ControlLimits.DefaultMaxDatagramBytes, bool reserveAuthenticationTrailer = false) =>
        OrThrow(TryEncodeRegister(message, maxDatagramBytes, reserveAuthenticationTrailer, out var datagrams, out var error, out string detail), datagrams, error, detail);

    public static bool TryEncodeRegister(RegisterMessage message, int maxDatagramBytes, bool reserveAuthenticationTrailer, out IReadOnlyList<byte[]> datagrams, out ControlEncodeError error) =>
        TryEncodeRegister(message, maxDatagramBytes, reserveAuthenticationTrailer, out datagrams, out error, out _);

    /// <summary>
    /// Encodes a peer list as one or more self-contained datagrams, each at most
    /// <paramref name="maxDatagramBytes"/>. The parts carry the message's generation and
    /// PartIndex 0..n-1 of PartCount n (the message's own PartIndex/PartCount are ignored).
    /// </summary>
    /// <exception cref="ControlEncodeException">Invalid message, or a maximum too small for one entry.</exception>
    public static IReadOnlyList<byte[]> EncodePeerList(PeerListMessage message, int maxDatagramBytes = ControlLimits.DefaultMaxDatagramBytes, bool reserveAuthenticationTrailer = false) =>
        OrThrow(TryEncodePeerList(message, maxDatagramBytes, reserveAuthenticationTrailer, out var datagrams, out var error, out string detail), datagrams, error, detail);

    public static bool TryEncodePeerList(PeerListMessage message, int maxDatagramBytes, bool reserveAuthenticationTrailer, out IReadOnlyList<byte[]> datagrams, out ControlEncodeError error) =>
        TryEncodePeerList(message, maxDatagramBytes, reserveAuthenticationTrailer, out datagrams, out error, out _);

    /// <summary>
    /// Encodes a full table as sync messages, each at most <paramref name="maxFrameBytes"/>
    /// (without the 4-byte length prefix <see cref="SyncFraming"/> adds). The last one has
    /// <see cref="SyncMessage.Last"/> set; an empty table is one empty, last message.
    /// </summary>
    /// <exception cref="ControlEncodeException">Invalid entry, or a maximum too small for one entry.</exception>
    public static IReadOnlyList<byte[]> EncodeSync(IReadOnlyList<SyncEntry> entries, int maxFrameBytes = ControlLimits.DefaultMaxSyncFrameBytes, bool reserveAuthenticationTrailer = false) =>
        OrThrow(TryEncodeSync(entries, maxFrameBytes, reserveAuthenticationTrailer, out var frames, out var error, out string detail), frames, error, detail);

    public static bool TryEncodeSync(IReadOnlyList<SyncEntry> entries, int maxFrameBytes, bool reserveAuthenticationTrailer, out IReadOnlyList<byte[]> frames, out ControlEncodeError error) =>
        TryEncodeSync(entries, maxFrameBytes, reserveAuthenticationTrailer, out frames, out error, out _);

    private static bool TryEncodeRegister(RegisterMessage message, int max, bool reserve, out IReadOnlyList<byte[]> datagrams, out ControlEncodeError error, out string detail)
    {
        datagrams = [];
        if (!CheckDatagramMax(max, out error, out detail)) return false;
        error = ControlValidator.Validate(message, checkCounts: false, out detail);
        if (error != ControlEncodeError.None) return false;
        // The fixed part does not depend on which VNIs a part holds; ResponseWanted is one byte either way.
        // The generations map (when present) is budgeted at its widest header; each VNI's pair is counted with the VNI.
        int fixedSize = ControlBodyWriter.WriteDatagram(message with { Vnis = [], Generations = message.Generations is null ? null : [] }, reserve).Length
            - MessagePackSize.MapHeader(0) + GenerationsSlack(message.Generations);
        var generations = GenerationsByVni(message.Generations);
        if (!TrySplit(message.Vnis, max, fixedSize, generations, out List<List<VniAddresses>> parts, out error, out detail)) return false;
        var result = new byte[parts.Count][];
        for (int i = 0; i < parts.Count; i++)
        {
            WireResponseWanted wanted = message.ResponseWanted == WireResponseWanted.AllVnis && i > 0 ? WireResponseWanted.None : message.ResponseWanted;
            result[i] = ControlBodyWriter.WriteDatagram(message with { Vnis = parts[i], ResponseWanted = wanted, Generations = PartGenerations(generations, parts[i]) }, reserve);
        }
        datagrams = result;
        return true;
    }

    private static bool TryEncodePeerList(PeerListMessage message, int max, bool reserve, out IReadOnlyList<byte[]> datagrams, out ControlEncodeError error, out string detail)
    {
        datagrams = [];
        if (!CheckDatagramMax(max, out error, out detail)) return false;
        error = ControlValidator.Validate(message with { PartIndex = 0, PartCount = 1 }, checkCounts: false, out detail);
        if (error != ControlEncodeError.None) return false;
        if (message.Deltas is not null) return TryEncodeDeltas(message, max, reserve, out datagrams, out error, out detail);
        // Plan with the widest part numbers (uint16, 3 bytes each) since the count is not known yet.
        var widest = message with { Vnis = [], PartIndex = ushort.MaxValue - 1, PartCount = ushort.MaxValue, Generations = message.Generations is null ? null : [] };
        int fixedSize = ControlBodyWriter.WriteDatagram(widest, reserve).Length - MessagePackSize.MapHeader(0) + GenerationsSlack(message.Generations);
        var generations = GenerationsByVni(message.Generations);
        if (!TrySplit(message.Vnis, max, fixedSize, generations, out List<List<VniAddresses>> parts, out error, out detail)) return false;
        if (!CheckPartCount(parts.Count, out error, out detail)) return false;
        var result = new byte[parts.Count][];
        for (int i = 0; i < parts.Count; i++)
        {
            result[i] = ControlBodyWriter.WriteDatagram(message with { Vnis = parts[i], PartIndex = (ushort)i, PartCount = (ushort)parts.Count, Generations = PartGenerations(generations, parts[i]) }, reserve);
        }
        datagrams = result;
        return true;
    }

    private static bool CheckPartCount(int count, out ControlEncodeError error, out string detail)
    {
        error = count > ushort.MaxValue ? ControlEncodeError.TooManyEntries : ControlEncodeError.None;
        detail = count > ushort.MaxValue ? $"{count} parts needed, at most {ushort.MaxValue}" : "";
        return error == ControlEncodeError.None;
    }

    // The empty map the fixed part was measured with has a 1-byte header; a part's may need 3 (map 16).
    private static int GenerationsSlack(IReadOnlyList<VniGeneration>? generations) => generations is null ? 0 : 2;

    private static Dictionary<uint, uint>? GenerationsByVni(IReadOnlyList<VniGeneration>? generations)
    {
        if (generations is null) return null;
        var byVni = new Dictionary<uint, uint>(generations.Count);
        foreach (VniGeneration g in generations) byVni[g.Vni] = g.Generation;
        return byVni;
    }

    // The generations of the VNIs a part carries, in the part's order (a VNI split over parts repeats its generation).
    private static List<VniGeneration>? PartGenerations(Dictionary<uint, uint>? generations, List<VniAddresses> part)
    {
        if (generations is null) return null;
        var result = new List<VniGeneration>();
        foreach (VniAddresses v in part)
        {
            if (generations.TryGetValue(v.Vni, out uint g)) result.Add(new VniGeneration(v.Vni, g));
        }
        return result;
    }

    private static bool TryEncodeSync(IReadOnlyList<SyncEntry> entries, int max, bool reserve, out IReadOnlyList<byte[]> frames, out ControlEncodeError error, out string detail)
    {
        ArgumentNullException.ThrowIfNull(entries);
        frames = [];
        error = ControlValidator.Validate(new SyncMessage(entries, true), checkCounts: false, out detail);
        if (error != ControlEncodeError.None) return false;
        int fixedSize = ControlBodyWriter.WriteDatagram(new SyncMessage([], true), reserve).Length - MessagePackSize.ArrayHeader(0);
        var result = new List<byte[]>();
        var current = new List<SyncEntry>();
        int entriesSize = 0;
        foreach (SyncEntry e in entries)
        {
            int size = ControlBodyWriter.SyncEntrySize(e);
            bool full = current.Count == ControlLimits.MaxEntriesPerMessage
                || fixedSize + MessagePackSize.ArrayHeader(current.Count + 1) + entriesSize + size > max;
            if (full)
            {
                if (current.Count == 0)
                {
                    error = ControlEncodeError.MaxSizeTooSmall;
                    detail = $"a {max}-byte frame cannot hold the entry for VNI {e.Vni} ({fixedSize + 1 + size} bytes needed)";
                    return false;
                }
                result.Add(ControlBodyWriter.WriteDatagram(new SyncMessage(current, false), reserve));
                current = [];
                entriesSize = 0;
            }
            current.Add(e);
            entriesSize += size;
        }
        if (fixedSize + MessagePackSize.ArrayHeader(current.Count) + entriesSize > max)
        {
            error = ControlEncodeError.MaxSizeTooSmall;
            detail = $"a {max}-byte frame cannot hold an empty sync message";
            return false;
        }
        result.Add(ControlBodyWriter.WriteDatagram(new SyncMessage(current, true), reserve));
        frames = result;
        return true;
    }

    /// <summary>
    /// Greedy split of VNI entries into parts whose encoded size (fixed part + VNI map) is at most
    /// <paramref name="max"/>; a VNI's address list is cut where it stops fitting and continues in
    /// the next part. An empty input gives one empty part.
    /// </summary>
    /// <param name="generations">When not null, each VNI of a part also costs its pair in the part's generations map.</param>
    private static bool TrySplit(IReadOnlyList<VniAddresses> vnis, int max, int fixedSize, Dictionary<uint, uint>? generations, out List<List<VniAddresses>> parts,
        out ControlEncodeError error, out string detail)
    {
        parts = [];
        var current = new List<VniAddresses>();
        int addressesInCurrent = 0;
        int entriesSize = 0;
        foreach (VniAddresses v in vnis)
        {
            IReadOnlyList<IPAddress> addresses = v.Addresses;
            int generationSize = generations is not null && generations.TryGetValue(v.Vni, out uint g) ? ControlBodyWriter.GenerationSize(v.Vni, g) : 0;
            int next = 0;
            while (true)
            {
                int available = max - fixedSize - MessagePackSize.MapHeader(current.Count + 1) - entriesSize - MessagePackSize.UnsignedInteger(v.Vni) - generationSize;
                int take = 0;
                int payload = 0;
                while (next + take < addresses.Count && addressesInCurrent + take < ControlLimits.MaxEntriesPerMessage)
                {
                    int grown = payload + ControlBodyWriter.AddressSize(addresses[next + take]);
                    if (MessagePackSize.ArrayHeader(take + 1) + grown > available) break;
                    payload = grown;
                    take++;
                }
                bool progress = take > 0 || (addresses.Count == 0 && MessagePackSize.ArrayHeader(0) <= available);
                if (!progress || current.Count == ControlLimits.MaxEntriesPerMessage)
                {
                    if (current.Count == 0)
                    {
                        error = ControlEncodeError.MaxSizeTooSmall;
                        detail = $"a {max}-byte datagram cannot hold VNI {v.Vni} with one address";
                        return false;
                    }
                    parts.Add(current);
                    current = [];
                    addressesInCurrent = 0;
                    entriesSize = 0;
                    continue;
                }
                current.Add(new VniAddresses(v.Vni, Slice(addresses, next, take)));
                entriesSize += MessagePackSize.UnsignedInteger(v.Vni) + MessagePackSize.ArrayHeader(take) + payload + generationSize;
                addressesInCurrent += take;
                next += take;
                if (next >= addresses.Count) break;
                // This part is full; the rest of the VNI goes on in the next one.
                parts.Add(current);
                current = [];
                addressesInCurrent = 0;
                entriesSize = 0;
            }
        }
        if (current.Count > 0 || parts.Count == 0)
        {
            if (fixedSize + MessagePackSize.MapHeader(0) > max)
            {
                error = ControlEncodeError.MaxSizeTooSmall;
                detail = $"a {max}-byte datagram cannot hold the message's fixed fields ({fixedSize + 1} bytes)";
                return false;
            }
            parts.Add(current);
        }
        error = ControlEncodeError.None;
        detail = "";
        return true;
    }

    private static IReadOnlyList<IPAddress> Slice(IReadOnlyList<IPAddress> addresses, int start, int count)
    {
        if (start == 0 && count == addresses.Count) return addresses;
        var slice = new IPAddress[count];
        for (int i = 0; i < count; i++) slice[i] = addresses[start + i];
        return slice;
    }

    private static bool CheckDatagramMax(int max, out ControlEncodeError error, out string detail)
    {
        if (max > ControlLimits.MaxDatagramBytes)
        {
            error = ControlEncodeError.MaxSizeTooLarge;
            detail = $"maximum datagram size {max} above {ControlLimits.MaxDatagramBytes}";
            return false;
        }
        error = ControlEncodeError.None;
        detail = "";
        return true;
    }

    private static IReadOnlyList<byte[]> OrThrow(bool ok, IReadOnlyList<byte[]> result, ControlEncodeError error, string detail) =>
        ok ? result : throw new ControlEncodeException(error, detail);
}
