using System.Buffers.Binary;
using System.Net;
using MessagePack;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Control;

/// <summary>
/// Reads the MessagePack body of each message type. Keys may come in any order; unknown keys
/// are skipped (room for additions within version 1); a key twice is malformed. Every read goes
/// through MessagePack-CSharp's reader and, where PROTOCOL.md is stricter, <see cref="Strict"/>.
/// Failures throw <see cref="ControlDecodeFailure"/> or the library's exceptions, which the codec
/// turns into a <see cref="ControlDecodeError"/>.
/// </summary>
internal static class ControlBodyReader
{
    public static RegisterMessage ReadRegister(ref MessagePackReader r)
    {
        string? nodeId = null;
        uint? holdTime = null;
        bool relayed = false;
        WireResponseWanted wanted = WireResponseWanted.None;
        List<VniAddresses>? vnis = null;
        UInt128? cookie = null;
        List<VniGeneration>? generations = null;
        IncompleteList? incomplete = null;
        ulong seen = 0;
        int fields = r.StrictMapHeader();
        for (int i = 0; i < fields; i++)
        {
            uint key = ReadKey(ref r, ref seen);
            switch (key)
            {
                case ControlKeys.RegisterCookie: cookie = ReadCookie(ref r); break;
                case ControlKeys.RegisterIncompleteList: incomplete = ReadIncompleteList(ref r); break;
                case ControlKeys.RegisterGenerations: generations = ReadGenerations(ref r); break;
                case ControlKeys.RegisterNodeId: nodeId = ReadNodeId(ref r); break;
                case ControlKeys.RegisterHoldTime: holdTime = r.ReadUInt32(); break;
                case ControlKeys.RegisterRelayed: relayed = r.ReadBoolean(); break;
                case ControlKeys.RegisterResponseWanted: wanted = (WireResponseWanted)ReadEnum(ref r, (ulong)WireResponseWanted.AllVnis, "response wanted"); break;
                case ControlKeys.RegisterVnis: vnis = ReadVnis(ref r); break;
                default: r.StrictSkip(); break;
            }
        }
        Require(nodeId, "node id (key 0)");
        Require(holdTime, "hold time (key 1)");
        Require(vnis, "VNIs (key 4)");
        return new RegisterMessage(nodeId!, holdTime!.Value, relayed, wanted, vnis!) { Cookie = cookie, Generations = generations, Incomplete = incomplete };
    }

    public static PeerListMessage ReadPeerList(ref MessagePackReader r)
    {
        uint? holdTime = null;
        List<VniAddresses>? vnis = null;
        uint generation = 0;
        ushort partIndex = 0, partCount = 1;
        UInt128? cookie = null;
        List<VniGeneration>? generations = null;
        List<PeerListDelta>? deltas = null;
        uint? instance = null;
        ulong seen = 0;
        int fields = r.StrictMapHeader();
        for (int i = 0; i < fields; i++)
        {
            uint key = ReadKey(ref r, ref seen);
            switch (key)
            {
                case ControlKeys.PeerListGenerations: generations = ReadGenerations(ref r); break;
                case ControlKeys.PeerListDeltas: deltas = ReadDeltas(ref r); break;
                case ControlKeys.PeerListHoldTime: holdTime = r.ReadUInt32(); break;
                case ControlKeys.PeerListVnis: vnis = ReadVnis(ref r); break;
                case ControlKeys.PeerListGeneration: generation = r.ReadUInt32(); break;
                case ControlKeys.PeerListPartIndex: partIndex = r.ReadUInt16(); break;
                case ControlKeys.PeerListPartCount: partCount = r.ReadUInt16(); break;
                case ControlKeys.PeerListCookie: cookie = ReadCookie(ref r); break;
                case ControlKeys.PeerListInstance: instance = ReadInstance(ref r); break;
                default: r.StrictSkip(); break;
            }
        }
        Require(holdTime, "hold time (key 0)");
        Require(vnis, "VNIs (key 1)");
        if (partCount == 0 || partIndex >= partCount)
        {
            throw new ControlDecodeFailure(ControlDecodeError.InvalidValue, $"part index {partIndex} not below part count {partCount}");
        }
        return new PeerListMessage(holdTime!.Value, vnis!, generation, partIndex, partCount) { Cookie = cookie, Generations = generations, Deltas = deltas, Instance = instance };
    }

    public static SyncMessage ReadSync(ref MessagePackReader r)
    {
        List<SyncEntry>? entries = null;
        bool? last = null;
        ulong seen = 0;
        int fields = r.StrictMapHeader();
        for (int i = 0; i < fields; i++)
        {
            uint key = ReadKey(ref r, ref seen);
            switch (key)
            {
                case ControlKeys.SyncEntries: entries = ReadSyncEntries(ref r); break;
                case ControlKeys.SyncLast: last = r.ReadBoolean(); break;
                default: r.StrictSkip(); break;
            }
        }
        Require(entries, "entries (key 0)");
        Require(last, "last (key 1)");
        return new SyncMessage(entries!, last!.Value);
    }

    private static List<SyncEntry> ReadSyncEntries(ref MessagePackReader r)
    {
        int count = r.StrictArrayHeader();
        CheckCount(count, "sync entries");
        var entries = new List<SyncEntry>(count);
        for (int i = 0; i < count; i++)
        {
            long start = r.Consumed;
            int fields = r.StrictArrayHeader();
            if (fields < ControlKeys.SyncEntryFields)
            {
                throw new ControlDecodeFailure(ControlDecodeError.MalformedBody, $"sync entry at body offset {start} has {fields} fields, {ControlKeys.SyncEntryFields} required");
            }
            uint vni = ReadVni(ref r);
            IPAddress address = ReadAddress(ref r);
            uint remaining = r.ReadUInt32();
            string nodeId = ReadNodeId(ref r);
            var source = (WireEntrySource)ReadEnum(ref r, (ulong)WireEntrySource.Static, "entry source");
            // Extra trailing fields: a later minor revision may append some.
            for (int f = ControlKeys.SyncEntryFields; f < fields; f++) r.StrictSkip();
            entries.Add(new SyncEntry(vni, address, remaining, nodeId, source));
        }
        return entries;
    }

    private static List<VniAddresses> ReadVnis(ref MessagePackReader r)
    {
        int count = r.StrictMapHeader();
        CheckCount(count, "VNIs");
        var vnis = new List<VniAddresses>(count);
        HashSet<uint> seenVnis = VniSet.Rent(count);
        int totalAddresses = 0;
        for (int i = 0; i < count; i++)
        {
            long start = r.Consumed;
            uint vni = ReadVni(ref r);
            if (!seenVnis.Add(vni)) throw new ControlDecodeFailure(ControlDecodeError.DuplicateVni, $"VNI {vni} listed twice (body offset {start})");
            int addressCount = r.StrictArrayHeader();
            totalAddresses += addressCount;
            CheckCount(totalAddresses, "addresses");
            var addresses = new IPAddress[addressCount];
            for (int a = 0; a < addressCount; a++) addresses[a] = ReadAddress(ref r);
            vnis.Add(new VniAddresses(vni, addresses));
        }
        return vnis;
    }

    // A map VNI -> generation (uint32); no VNI twice.
    private static List<VniGeneration> ReadGenerations(ref MessagePackReader r)
    {
        int count = r.StrictMapHeader();
        CheckCount(count, "VNI generations");
        var generations = new List<VniGeneration>(count);
        HashSet<uint> seenVnis = VniSet.Rent(count);
        for (int i = 0; i < count; i++)
        {
            long start = r.Consumed;
            uint vni = ReadVni(ref r);
            if (!seenVnis.Add(vni)) throw new ControlDecodeFailure(ControlDecodeError.DuplicateVni, $"VNI {vni} has two generations (body offset {start})");
            generations.Add(new VniGeneration(vni, r.ReadUInt32()));
        }
        return generations;
    }

    // An array of [VNI, base generation, generation, added, removed, ...]; a VNI may appear in several
    // (consecutive generations, or one change cut over parts). Addresses count against the per-message limit.
    private static List<PeerListDelta> ReadDeltas(ref MessagePackReader r)
    {
        int count = r.StrictArrayHeader();
        CheckCount(count, "deltas");
        var deltas = new List<PeerListDelta>(count);
        int totalAddresses = 0;
        for (int i = 0; i < count; i++)
        {
            long start = r.Consumed;
            int fields = r.StrictArrayHeader();
            if (fields < ControlKeys.DeltaFields)
            {
                throw new ControlDecodeFailure(ControlDecodeError.MalformedBody, $"delta at body offset {start} has {fields} fields, {ControlKeys.DeltaFields} required");
            }
            uint vni = ReadVni(ref r);
            uint baseGeneration = r.ReadUInt32();
            uint generation = r.ReadUInt32();
            IPAddress[] added = ReadAddresses(ref r, ref totalAddresses);
            IPAddress[] removed = ReadAddresses(ref r, ref totalAddresses);
            for (int f = ControlKeys.DeltaFields; f < fields; f++) r.StrictSkip();
            deltas.Add(new PeerListDelta(vni, baseGeneration, generation, added, removed));
        }
        return deltas;
    }

    // [message generation, part count 1..65535, held-parts bitmap (bin of exactly ceil(count / 8) bytes, no bit
    // set past the last part), optional instance 1..2^32-1, ...]; fields after the fourth are skipped (room for additions).
    private static IncompleteList ReadIncompleteList(ref MessagePackReader r)
    {
        long start = r.Consumed;
        int fields = r.StrictArrayHeader();
        if (fields < ControlKeys.IncompleteListFields)
        {
            throw new ControlDecodeFailure(ControlDecodeError.MalformedBody, $"incomplete list at body offset {start} has {fields} fields, {ControlKeys.IncompleteListFields} required");
        }
        uint generation = r.ReadUInt32();
        ushort partCount = r.ReadUInt16();
        byte[] held = r.StrictBinary().ToArray();
        uint? instance = fields > ControlKeys.IncompleteListFields ? r.ReadUInt32() : null;
        for (int f = ControlKeys.IncompleteListFields + 1; f < fields; f++) r.StrictSkip();
        var list = new IncompleteList(generation, partCount, held) { Instance = instance };
        if (list.Problem() is { } problem) throw new ControlDecodeFailure(ControlDecodeError.InvalidValue, $"incomplete list at body offset {start}: {problem}");
        return list;
    }

    private static IPAddress[] ReadAddresses(ref MessagePackReader r, ref int totalAddresses)
    {
        int count = r.StrictArrayHeader();
        totalAddresses += count;
        CheckCount(totalAddresses, "addresses");
        var addresses = new IPAddress[count];
        for (int a = 0; a < count; a++) addresses[a] = ReadAddress(ref r);
        return addresses;
    }

    private static uint ReadVni(ref MessagePackReader r)
    {
        long start = r.Consumed;
        ulong vni = r.ReadUInt64();
        if (vni > ControlLimits.MaxVni)
        {
            throw new ControlDecodeFailure(ControlDecodeError.VniOutOfRange, $"VNI {vni} above {ControlLimits.MaxVni} (body offset {start})");
        }
        return (uint)vni;
    }

    private static IPAddress ReadAddress(ref MessagePackReader r)
    {
        long start = r.Consumed;
        ReadOnlySpan<byte> bytes = r.StrictBinary();
        if (bytes.Length is not (4 or 16))
        {
            throw new ControlDecodeFailure(ControlDecodeError.BadAddressLength, $"address of {bytes.Length} bytes, 4 or 16 required (body offset {start})");
        }
        return new IPAddress(bytes);
    }

    // 0 would be no instance at all, which a sender says by leaving the key out.
    private static uint ReadInstance(ref MessagePackReader r)
    {
        uint instance = r.ReadUInt32();
        if (instance == 0) throw new ControlDecodeFailure(ControlDecodeError.InvalidValue, "instance 0 (key 8 is 1..4294967295)");
        return instance;
    }

    private static UInt128 ReadCookie(ref MessagePackReader r)
    {
        long start = r.Consumed;
        ReadOnlySpan<byte> bytes = r.StrictBinary();
        if (bytes.Length != ControlLimits.CookieBytes)
        {
            throw new ControlDecodeFailure(ControlDecodeError.InvalidValue, $"cookie of {bytes.Length} bytes, {ControlLimits.CookieBytes} required (body offset {start})");
        }
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static string ReadNodeId(ref MessagePackReader r)
    {
        long start = r.Consumed;
        ReadOnlySpan<byte> utf8 = r.StrictString();
        if (utf8.Length is 0 or > ControlLimits.MaxNodeIdBytes)
        {
            throw new ControlDecodeFailure(ControlDecodeError.InvalidNodeId, $"node id of {utf8.Length} bytes, 1..{ControlLimits.MaxNodeIdBytes} required (body offset {start})");
        }
        return System.Text.Encoding.UTF8.GetString(utf8);
    }

    private static ulong ReadEnum(ref MessagePackReader r, ulong max, string what)
    {
        long start = r.Consumed;
        ulong value = r.ReadUInt64();
        if (value > max) throw new ControlDecodeFailure(ControlDecodeError.InvalidValue, $"{what} {value} undefined (body offset {start})");
        return value;
    }

    /// <summary>Reads a body map key; keys 0..63 are tracked so a repeated key is refused.</summary>
    private static uint ReadKey(ref MessagePackReader r, ref ulong seen)
    {
        long start = r.Consumed;
        if (r.NextMessagePackType != MessagePackType.Integer)
        {
            throw new ControlDecodeFailure(ControlDecodeError.MalformedBody, $"body map key must be an integer, found {r.NextMessagePackType} (body offset {start})");
        }
        ulong key = r.ReadUInt64();
        if (key < 64)
        {
            ulong bit = 1UL << (int)key;
            if ((seen & bit) != 0) throw new ControlDecodeFailure(ControlDecodeError.MalformedBody, $"key {key} repeated (body offset {start})");
            seen |= bit;
        }
        return key > uint.MaxValue ? uint.MaxValue : (uint)key;
    }

    private static void CheckCount(int count, string what)
    {
        if (count > ControlLimits.MaxEntriesPerMessage)
        {
            throw new ControlDecodeFailure(ControlDecodeError.TooManyEntries, $"{count} {what}, at most {ControlLimits.MaxEntriesPerMessage}");
        }
    }

    private static void Require<T>(T? value, string what)
    {
        if (value is null) throw new ControlDecodeFailure(ControlDecodeError.MissingField, $"required field {what} missing");
    }
}
