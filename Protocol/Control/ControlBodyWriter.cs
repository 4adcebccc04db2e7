using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MessagePack;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Control;

/// <summary>
/// Writes header, MessagePack body and reserved trailer of one already-validated message with
/// MessagePack-CSharp's writer. Only its <c>Write(...)</c> overloads, which pick the smallest
/// encoding (PROTOCOL.md 3.1): never the fixed-width <c>WriteUInt32</c> and kin.
/// </summary>
internal static class ControlBodyWriter
{
    // Reused per thread so that encoding allocates only the datagram it returns; a sync frame's
    // large buffer is not kept.
    private const int MaxKeptOutput = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_output;

    public static byte[] WriteDatagram(ControlMessage message, bool reserveTrailer)
    {
        ArrayBufferWriter<byte> output = t_output ??= new ArrayBufferWriter<byte>(2048);
        output.ResetWrittenCount();
        var flags = reserveTrailer ? ControlFlags.AuthenticationTrailer : ControlFlags.None;
        new ControlHeader(message.Type, flags).Write(output.GetSpan(ControlHeader.Size));
        output.Advance(ControlHeader.Size);
        var writer = new MessagePackWriter(output);
        switch (message)
        {
            case RegisterMessage r: WriteRegister(ref writer, r); break;
            case PeerListMessage p: WritePeerList(ref writer, p); break;
            case SyncMessage s: WriteSync(ref writer, s); break;
            default: throw new ArgumentException($"unknown message type {message.GetType()}", nameof(message));
        }
        writer.Flush();
        if (reserveTrailer)
        {
            // Zero-filled room that ControlAuthenticator.Sign fills in.
            output.GetSpan(ControlAuthenticator.TrailerSize)[..ControlAuthenticator.TrailerSize].Clear();
            output.Advance(ControlAuthenticator.TrailerSize);
        }
        byte[] datagram = output.WrittenSpan.ToArray();
        if (output.Capacity > MaxKeptOutput) t_output = null;
        return datagram;
    }

    private static void WriteRegister(ref MessagePackWriter w, RegisterMessage m)
    {
        w.WriteMapHeader(5 + (m.Cookie is null ? 0 : 1) + (m.Generations is null ? 0 : 1) + (m.Incomplete is null ? 0 : 1));
        w.Write(ControlKeys.RegisterNodeId);
        w.Write(m.NodeId);
        w.Write(ControlKeys.RegisterHoldTime);
        w.Write(m.HoldTimeSeconds);
        w.Write(ControlKeys.RegisterRelayed);
        w.Write(m.Relayed);
        w.Write(ControlKeys.RegisterResponseWanted);
        w.Write((uint)m.ResponseWanted);
        w.Write(ControlKeys.RegisterVnis);
        WriteVnis(ref w, m.Vnis);
        if (m.Generations is { } generations) WriteGenerations(ref w, ControlKeys.RegisterGenerations, generations);
        if (m.Incomplete is { } incomplete) WriteIncompleteList(ref w, incomplete);
        if (m.Cookie is { } cookie) WriteCookie(ref w, ControlKeys.RegisterCookie, cookie);
    }

    private static void WritePeerList(ref MessagePackWriter w, PeerListMessage m)
    {
        w.WriteMapHeader(5 + (m.Cookie is null ? 0 : 1) + (m.Generations is null ? 0 : 1) + (m.Deltas is null ? 0 : 1) + (m.Instance is null ? 0 : 1));
        w.Write(ControlKeys.PeerListHoldTime);
        w.Write(m.HoldTimeSeconds);
        w.Write(ControlKeys.PeerListVnis);
        WriteVnis(ref w, m.Vnis);
        w.Write(ControlKeys.PeerListGeneration);
        w.Write(m.Generation);
        w.Write(ControlKeys.PeerListPartIndex);
        w.Write(m.PartIndex);
        w.Write(ControlKeys.PeerListPartCount);
        w.Write(m.PartCount);
        if (m.Generations is { } generations) WriteGenerations(ref w, ControlKeys.PeerListGenerations, generations);
        if (m.Deltas is { } deltas) WriteDeltas(ref w, deltas);
        if (m.Instance is { } instance)
        {
            w.Write(ControlKeys.PeerListInstance);
            w.Write(instance);
        }
        if (m.Cookie is { } cookie) WriteCookie(ref w, ControlKeys.PeerListCookie, cookie);
    }

    private static void WriteGenerations(ref MessagePackWriter w, uint key, IReadOnlyList<VniGeneration> generations)
    {
        w.Write(key);
        w.WriteMapHeader(generations.Count);
        for (int i = 0; i < generations.Count; i++)
        {
            w.Write(generations[i].Vni);
            w.Write(generations[i].Generation);
        }
    }

    private static void WriteIncompleteList(ref MessagePackWriter w, IncompleteList list)
    {
        w.Write(ControlKeys.RegisterIncompleteList);
        w.WriteArrayHeader(ControlKeys.IncompleteListFields + (list.Instance is null ? 0 : 1));
        w.Write(list.Generation);
        w.Write(list.PartCount);
        w.Write(list.Held);
        if (list.Instance is { } instance) w.Write(instance);
    }

    private static void WriteDeltas(ref MessagePackWriter w, IReadOnlyList<PeerListDelta> deltas)
    {
        w.Write(ControlKeys.PeerListDeltas);
        w.WriteArrayHeader(deltas.Count);
        for (int i = 0; i < deltas.Count; i++)
        {
            PeerListDelta d = deltas[i];
            w.WriteArrayHeader(ControlKeys.DeltaFields);
            w.Write(d.Vni);
            w.Write(d.BaseGeneration);
            w.Write(d.Generation);
            w.WriteArrayHeader(d.Added.Count);
            for (int j = 0; j < d.Added.Count; j++) WriteAddress(ref w, d.Added[j]);
            w.WriteArrayHeader(d.Removed.Count);
            for (int j = 0; j < d.Removed.Count; j++) WriteAddress(ref w, d.Removed[j]);
        }
    }

    // Always the last key (the one exception to ascending keys, PROTOCOL.md 3.2), so the cookie is the
    // body's last 16 bytes: ControlCodec.TryWriteCookie relies on it.
    private static void WriteCookie(ref MessagePackWriter w, uint key, UInt128 cookie)
    {
        w.Write(key);
        w.WriteBinHeader(ControlLimits.CookieBytes);
        BinaryPrimitives.WriteUInt128BigEndian(w.GetSpan(ControlLimits.CookieBytes), cookie);
        w.Advance(ControlLimits.CookieBytes);
    }

    private static void WriteSync(ref MessagePackWriter w, SyncMessage m)
    {
        w.WriteMapHeader(2);
        w.Write(ControlKeys.SyncEntries);
        w.WriteArrayHeader(m.Entries.Count);
        for (int i = 0; i < m.Entries.Count; i++) // indexed: foreach over the interface would box an enumerator
        {
            SyncEntry e = m.Entries[i];
            w.WriteArrayHeader(ControlKeys.SyncEntryFields);
            w.Write(e.Vni);
            WriteAddress(ref w, e.Address);
            w.Write(e.RemainingHoldTimeSeconds);
            w.Write(e.NodeId);
            w.Write((uint)e.Source);
        }
        w.Write(ControlKeys.SyncLast);
        w.Write(m.Last);
    }

    private static void WriteVnis(ref MessagePackWriter w, IReadOnlyList<VniAddresses> vnis)
    {
        w.WriteMapHeader(vnis.Count);
        for (int i = 0; i < vnis.Count; i++) // indexed: foreach over the interface would box an enumerator
        {
            VniAddresses v = vnis[i];
            w.Write(v.Vni);
            w.WriteArrayHeader(v.Addresses.Count);
            for (int j = 0; j < v.Addresses.Count; j++) WriteAddress(ref w, v.Addresses[j]);
        }
    }

    private static void WriteAddress(ref MessagePackWriter w, IPAddress address)
    {
        // Straight into the writer's buffer: its Write(ReadOnlySpan<byte>) does not take a stack span.
        int length = address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        w.WriteBinHeader(length);
        address.TryWriteBytes(w.GetSpan(length), out _);
        w.Advance(length);
    }

    /// <summary>Encoded size of one address: bin8 header plus 4 or 16 bytes.</summary>
    public static int AddressSize(IPAddress address) =>
        MessagePackSize.Binary(address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16);

    /// <summary>Encoded size of one VNI map entry (key plus address array).</summary>
    public static int VniEntrySize(uint vni, IReadOnlyList<IPAddress> addresses, int start, int count)
    {
        int size = MessagePackSize.UnsignedInteger(vni) + MessagePackSize.ArrayHeader(count);
        for (int i = start; i < start + count; i++) size += AddressSize(addresses[i]);
        return size;
    }

    /// <summary>Encoded size of one generation map pair.</summary>
    public static int GenerationSize(uint vni, uint generation) => MessagePackSize.UnsignedInteger(vni) + MessagePackSize.UnsignedInteger(generation);

    /// <summary>Encoded size of a delta entry's fixed part (array header, VNI, both generations).</summary>
    public static int DeltaHeaderSize(PeerListDelta d) =>
        MessagePackSize.ArrayHeader(ControlKeys.DeltaFields) + MessagePackSize.UnsignedInteger(d.Vni)
        + MessagePackSize.UnsignedInteger(d.BaseGeneration) + MessagePackSize.UnsignedInteger(d.Generation);

    public static int SyncEntrySize(SyncEntry e) =>
        MessagePackSize.ArrayHeader(ControlKeys.SyncEntryFields)
        + MessagePackSize.UnsignedInteger(e.Vni)
        + AddressSize(e.Address)
        + MessagePackSize.UnsignedInteger(e.RemainingHoldTimeSeconds)
        + MessagePackSize.String(ControlValidator.StrictUtf8.GetByteCount(e.NodeId))
        + MessagePackSize.UnsignedInteger((uint)e.Source);
}
