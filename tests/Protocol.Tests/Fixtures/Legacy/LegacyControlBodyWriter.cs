using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>
/// The control writer as it was before MessagePack-CSharp (our own writer, this folder): the reference
/// for the encode comparison (same bytes) and the benchmark's "before". Not compiled into production.
/// </summary>
internal static class LegacyControlBodyWriter
{
    public static byte[] WriteDatagram(ControlMessage message, bool reserveTrailer)
    {
        var output = new ArrayBufferWriter<byte>(256);
        var flags = reserveTrailer ? ControlFlags.AuthenticationTrailer : ControlFlags.None;
        new ControlHeader(message.Type, flags).Write(output.GetSpan(ControlHeader.Size));
        output.Advance(ControlHeader.Size);
        var writer = new LegacyMessagePackWriter(output);
        switch (message)
        {
            case RegisterMessage r: WriteRegister(ref writer, r); break;
            case PeerListMessage p: WritePeerList(ref writer, p); break;
            case SyncMessage s: WriteSync(ref writer, s); break;
            default: throw new ArgumentException($"unknown message type {message.GetType()}", nameof(message));
        }
        if (reserveTrailer)
        {
            // Zero-filled room that ControlAuthenticator.Sign fills in.
            output.GetSpan(ControlAuthenticator.TrailerSize)[..ControlAuthenticator.TrailerSize].Clear();
            output.Advance(ControlAuthenticator.TrailerSize);
        }
        return output.WrittenSpan.ToArray();
    }

    private static void WriteRegister(ref LegacyMessagePackWriter w, RegisterMessage m)
    {
        w.WriteMapHeader(m.Cookie is null ? 5 : 6);
        w.WriteUInt32(ControlKeys.RegisterNodeId);
        w.WriteString(m.NodeId);
        w.WriteUInt32(ControlKeys.RegisterHoldTime);
        w.WriteUInt32(m.HoldTimeSeconds);
        w.WriteUInt32(ControlKeys.RegisterRelayed);
        w.WriteBoolean(m.Relayed);
        w.WriteUInt32(ControlKeys.RegisterResponseWanted);
        w.WriteUInt32((uint)m.ResponseWanted);
        w.WriteUInt32(ControlKeys.RegisterVnis);
        WriteVnis(ref w, m.Vnis);
        if (m.Cookie is { } cookie) WriteCookie(ref w, ControlKeys.RegisterCookie, cookie);
    }

    private static void WritePeerList(ref LegacyMessagePackWriter w, PeerListMessage m)
    {
        w.WriteMapHeader(m.Cookie is null ? 5 : 6);
        w.WriteUInt32(ControlKeys.PeerListHoldTime);
        w.WriteUInt32(m.HoldTimeSeconds);
        w.WriteUInt32(ControlKeys.PeerListVnis);
        WriteVnis(ref w, m.Vnis);
        w.WriteUInt32(ControlKeys.PeerListGeneration);
        w.WriteUInt32(m.Generation);
        w.WriteUInt32(ControlKeys.PeerListPartIndex);
        w.WriteUInt32(m.PartIndex);
        w.WriteUInt32(ControlKeys.PeerListPartCount);
        w.WriteUInt32(m.PartCount);
        if (m.Cookie is { } cookie) WriteCookie(ref w, ControlKeys.PeerListCookie, cookie);
    }

    // Always the last key (keys ascend), so the cookie is the body's last 16 bytes: ControlCodec.TryWriteCookie relies on it.
    private static void WriteCookie(ref LegacyMessagePackWriter w, uint key, UInt128 cookie)
    {
        w.WriteUInt32(key);
        Span<byte> bytes = stackalloc byte[ControlLimits.CookieBytes];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, cookie);
        w.WriteBinary(bytes);
    }

    private static void WriteSync(ref LegacyMessagePackWriter w, SyncMessage m)
    {
        w.WriteMapHeader(2);
        w.WriteUInt32(ControlKeys.SyncEntries);
        w.WriteArrayHeader(m.Entries.Count);
        foreach (SyncEntry e in m.Entries)
        {
            w.WriteArrayHeader(ControlKeys.SyncEntryFields);
            w.WriteUInt32(e.Vni);
            WriteAddress(ref w, e.Address);
            w.WriteUInt32(e.RemainingHoldTimeSeconds);
            w.WriteString(e.NodeId);
            w.WriteUInt32((uint)e.Source);
        }
        w.WriteUInt32(ControlKeys.SyncLast);
        w.WriteBoolean(m.Last);
    }

    private static void WriteVnis(ref LegacyMessagePackWriter w, IReadOnlyList<VniAddresses> vnis)
    {
        w.WriteMapHeader(vnis.Count);
        foreach (VniAddresses v in vnis)
        {
            w.WriteUInt32(v.Vni);
            w.WriteArrayHeader(v.Addresses.Count);
            foreach (IPAddress a in v.Addresses) WriteAddress(ref w, a);
        }
    }

    private static void WriteAddress(ref LegacyMessagePackWriter w, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        w.WriteBinary(bytes[..length]);
    }
}
