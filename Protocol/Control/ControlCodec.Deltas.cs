using System.Net;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Control;

public static partial class ControlCodec
{
    /// <summary>
    /// Splits a peer list of deltas (PROTOCOL.md 5.2, 6): deltas are packed greedily in order; one
    /// whose addresses do not fit gets as many as fit (added first, then removed) and continues in the
    /// next part under the same VNI and generations, which the receiver joins again. Parts are
    /// numbered like a split list, so the receiver assembles them first.
    /// </summary>
    private static bool TryEncodeDeltas(PeerListMessage message, int max, bool reserve, out IReadOnlyList<byte[]> datagrams, out ControlEncodeError error, out string detail)
    {
        datagrams = [];
        if (message.Vnis.Count > 0)
        {
            error = ControlEncodeError.InvalidValue;
            detail = "a peer list of deltas carries an empty VNI map (key 1), so receivers that do not know key 7 change nothing";
            return false;
        }
        // Widest part numbers and array header (3 bytes: array 16) since neither is known yet.
        var widest = message with { PartIndex = ushort.MaxValue - 1, PartCount = ushort.MaxValue, Deltas = [] };
        int fixedSize = ControlBodyWriter.WriteDatagram(widest, reserve).Length - MessagePackSize.ArrayHeader(0) + MessagePackSize.ArrayHeader(ushort.MaxValue);
        if (!TrySplitDeltas(message.Deltas!, max, fixedSize, out List<List<PeerListDelta>> parts, out error, out detail)) return false;
        if (!CheckPartCount(parts.Count, out error, out detail)) return false;
        var result = new byte[parts.Count][];
        for (int i = 0; i < parts.Count; i++)
        {
            result[i] = ControlBodyWriter.WriteDatagram(message with { Deltas = parts[i], PartIndex = (ushort)i, PartCount = (ushort)parts.Count }, reserve);
        }
        datagrams = result;
        return true;
    }

    private static bool TrySplitDeltas(IReadOnlyList<PeerListDelta> deltas, int max, int fixedSize, out List<List<PeerListDelta>> parts, out ControlEncodeError error, out string detail)
    {
        parts = [];
        var current = new List<PeerListDelta>();
        int used = 0; // bytes of the entries in `current`
        int addressesInCurrent = 0;
        foreach (PeerListDelta d in deltas)
        {
            int nextAdded = 0, nextRemoved = 0;
            bool placed = false;
            while (!placed || nextAdded < d.Added.Count || nextRemoved < d.Removed.Count)
            {
                // Bytes left for this piece's two address arrays (headers included).
                int available = current.Count == ControlLimits.MaxEntriesPerMessage ? -1 : max - fixedSize - used - ControlBodyWriter.DeltaHeaderSize(d);
                int most = ControlLimits.MaxEntriesPerMessage - addressesInCurrent;
                // Added first, keeping a byte for the removed array's header; removed only once every added address is placed.
                int takeAdded = Take(d.Added, nextAdded, available - MessagePackSize.ArrayHeader(0), most, out int addedBytes);
                int takeRemoved = 0, removedBytes = MessagePackSize.ArrayHeader(0);
                if (nextAdded + takeAdded == d.Added.Count) takeRemoved = Take(d.Removed, nextRemoved, available - addedBytes, most - takeAdded, out removedBytes);
                bool fits = addedBytes + removedBytes <= available;
                bool progress = fits && (takeAdded + takeRemoved > 0 || (!placed && d.Added.Count == 0 && d.Removed.Count == 0));
                if (!progress)
                {
                    if (current.Count == 0)
                    {
                        error = ControlEncodeError.MaxSizeTooSmall;
                        detail = $"a {max}-byte datagram cannot hold a delta of VNI {d.Vni} with one address";
                        return false;
                    }
                    parts.Add(current);
                    current = [];
                    used = 0;
                    addressesInCurrent = 0;
                    continue;
                }
                var piece = new PeerListDelta(d.Vni, d.BaseGeneration, d.Generation, Slice(d.Added, nextAdded, takeAdded), Slice(d.Removed, nextRemoved, takeRemoved));
                current.Add(piece);
                used += ControlBodyWriter.DeltaHeaderSize(d) + AddressesSize(piece.Added) + AddressesSize(piece.Removed);
                addressesInCurrent += takeAdded + takeRemoved;
                nextAdded += takeAdded;
                nextRemoved += takeRemoved;
                placed = true;
            }
        }
        if (current.Count > 0 || parts.Count == 0)
        {
            if (fixedSize > max)
            {
                error = ControlEncodeError.MaxSizeTooSmall;
                detail = $"a {max}-byte datagram cannot hold the message's fixed fields ({fixedSize} bytes)";
                return false;
            }
            parts.Add(current);
        }
        error = ControlEncodeError.None;
        detail = "";
        return true;
    }

    // How many addresses from `start` fit in `budget` bytes together with their array header; `bytes` is what they take, header included.
    private static int Take(IReadOnlyList<IPAddress> addresses, int start, int budget, int most, out int bytes)
    {
        int take = 0, payload = 0;
        while (start + take < addresses.Count && take < most)
        {
            int grown = payload + ControlBodyWriter.AddressSize(addresses[start + take]);
            if (MessagePackSize.ArrayHeader(take + 1) + grown > budget) break;
            payload = grown;
            take++;
        }
        bytes = MessagePackSize.ArrayHeader(take) + payload;
        return take;
    }

    private static int AddressesSize(IReadOnlyList<IPAddress> addresses)
    {
        int size = MessagePackSize.ArrayHeader(addresses.Count);
        for (int i = 0; i < addresses.Count; i++) size += ControlBodyWriter.AddressSize(addresses[i]);
        return size;
    }
}
