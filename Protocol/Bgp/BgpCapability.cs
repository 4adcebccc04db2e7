using System.Buffers.Binary;

namespace Replicator.Protocol.Bgp;

/// <summary>
/// One capability of an OPEN (RFC 5492): code and value. Known codes are checked for length by
/// the decoder; unknown ones are kept opaque (and ignored by the session).
/// </summary>
public sealed record BgpCapability(byte Code, byte[] Value)
{
    public const byte MultiprotocolCode = 1;
    public const byte RouteRefreshCode = 2;
    public const byte FourOctetAsCode = 65;
    /// <summary>The pre-standard route refresh code FRR still announces next to 2.</summary>
    public const byte RouteRefreshCiscoCode = 128;

    public static readonly BgpCapability RouteRefresh = new(RouteRefreshCode, []);

    /// <summary>RFC 4760 §8: AFI (2), reserved (1), SAFI (1).</summary>
    public static BgpCapability Multiprotocol(ushort afi, byte safi) => new(MultiprotocolCode, [(byte)(afi >> 8), (byte)afi, 0, safi]);

    /// <summary>RFC 6793: the 4-octet AS number.</summary>
    public static BgpCapability FourOctetAs(uint autonomousSystem)
    {
        byte[] value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, autonomousSystem);
        return new BgpCapability(FourOctetAsCode, value);
    }

    public ushort MultiprotocolAfi => Code == MultiprotocolCode && Value.Length == 4 ? BinaryPrimitives.ReadUInt16BigEndian(Value) : (ushort)0;
    public byte MultiprotocolSafi => Code == MultiprotocolCode && Value.Length == 4 ? Value[3] : (byte)0;
    public uint FourOctetAsNumber => Code == FourOctetAsCode && Value.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(Value) : 0;

    /// <summary>Whether the value has the length the code requires (unknown codes: any).</summary>
    internal bool HasValidLength => Code switch
    {
        MultiprotocolCode or FourOctetAsCode => Value.Length == 4,
        RouteRefreshCode => Value.Length == 0,
        _ => true,
    };
}
