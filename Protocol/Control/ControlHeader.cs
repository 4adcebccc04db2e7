using System.Buffers.Binary;

namespace Replicator.Protocol.Control;

/// <summary>
/// The 5-byte header in front of every control message:
/// <code>
/// offset 0  2 bytes  magic 0x56 0x52 ("VR")
/// offset 2  1 byte   version (1)
/// offset 3  1 byte   type (<see cref="ControlMessageType"/>)
/// offset 4  1 byte   flags (<see cref="ControlFlags"/>)
/// </code>
/// </summary>
public readonly record struct ControlHeader(ControlMessageType Type, ControlFlags Flags)
{
    public const int Size = 5;
    public const ushort Magic = 0x5652;
    public const byte CurrentVersion = 1;

    /// <summary>Checks magic, version and type; never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out ControlHeader header, out ControlDecodeError error)
    {
        header = default;
        if (datagram.Length < Size) { error = ControlDecodeError.TooShort; return false; }
        if (BinaryPrimitives.ReadUInt16BigEndian(datagram) != Magic) { error = ControlDecodeError.BadMagic; return false; }
        if (datagram[2] != CurrentVersion) { error = ControlDecodeError.UnsupportedVersion; return false; }
        var type = (ControlMessageType)datagram[3];
        if (type is not (ControlMessageType.Register or ControlMessageType.PeerList or ControlMessageType.Sync))
        {
            error = ControlDecodeError.UnknownType;
            return false;
        }
        header = new ControlHeader(type, (ControlFlags)datagram[4] & ControlFlags.AuthenticationTrailer);
        error = ControlDecodeError.None;
        return true;
    }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException("needs 5 bytes", nameof(destination));
        BinaryPrimitives.WriteUInt16BigEndian(destination, Magic);
        destination[2] = CurrentVersion;
        destination[3] = (byte)Type;
        destination[4] = (byte)(Flags & ControlFlags.AuthenticationTrailer);
    }
}
