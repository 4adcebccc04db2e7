using System.Diagnostics.CodeAnalysis;

namespace Replicator.Protocol.Bgp;

/// <summary>
/// The BGP encoder for every message the speaker sends. Output never exceeds
/// <see cref="BgpConstants.MaxMessageLength"/>: a message that would is refused (false), so the
/// caller splits it (one route per UPDATE never comes near).
/// </summary>
public static partial class BgpEncoder
{
    /// <summary>Encodes <paramref name="message"/> with its header; false when it does not fit in 4096 octets.</summary>
    public static bool TryEncode(BgpMessage message, [NotNullWhen(true)] out byte[]? encoded)
    {
        Span<byte> buffer = stackalloc byte[BgpConstants.MaxMessageLength];
        var writer = new BgpWriter(buffer);
        writer.WriteBytes(Marker);
        int lengthAt = writer.ReserveLength(2);
        writer.WriteByte((byte)message.Type);
        switch (message)
        {
            case BgpOpenMessage open: WriteOpen(ref writer, open); break;
            case BgpUpdateMessage update: WriteUpdate(ref writer, update); break;
            case BgpNotificationMessage notification:
                writer.WriteByte((byte)notification.Code);
                writer.WriteByte(notification.Subcode);
                writer.WriteBytes(notification.Data);
                break;
            case BgpRouteRefreshMessage refresh:
                writer.WriteUInt16(refresh.Afi);
                writer.WriteByte(refresh.Subtype);
                writer.WriteByte(refresh.Safi);
                break;
        }
        encoded = null;
        if (writer.Overflowed) return false;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer[lengthAt..], (ushort)writer.Position);
        encoded = writer.Written.ToArray();
        return true;
    }

    /// <summary>As <see cref="TryEncode"/> for messages that always fit (OPEN, KEEPALIVE, NOTIFICATION with short data, ROUTE-REFRESH, one-route UPDATEs).</summary>
    public static byte[] Encode(BgpMessage message) =>
        TryEncode(message, out byte[]? encoded) ? encoded : throw new ArgumentException($"{message.Type} longer than {BgpConstants.MaxMessageLength} octets", nameof(message));

    private static ReadOnlySpan<byte> Marker => [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// <summary>All capabilities in one optional parameter (type 2), as FRR and GoBGP accept.</summary>
    private static void WriteOpen(ref BgpWriter writer, BgpOpenMessage open)
    {
        writer.WriteByte(BgpConstants.Version);
        writer.WriteUInt16(open.MyAs);
        writer.WriteUInt16(open.HoldTime);
        writer.WriteUInt32(open.BgpIdentifier);
        int parametersAt = writer.ReserveLength(1);
        if (open.Capabilities.Count > 0)
        {
            writer.WriteByte(2);
            int capabilitiesAt = writer.ReserveLength(1);
            foreach (BgpCapability capability in open.Capabilities)
            {
                writer.WriteByte(capability.Code);
                writer.WriteByte((byte)capability.Value.Length);
                writer.WriteBytes(capability.Value);
            }
            writer.PatchLength(capabilitiesAt, 1);
        }
        writer.PatchLength(parametersAt, 1);
    }
}
