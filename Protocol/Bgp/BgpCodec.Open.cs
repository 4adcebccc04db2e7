using System.Buffers.Binary;

namespace Replicator.Protocol.Bgp;

public static partial class BgpCodec
{
    private const byte CapabilitiesParameter = 2;

    /// <summary>
    /// OPEN body: version (1), my AS (2), hold time (2), BGP identifier (4), optional parameters
    /// length (1), parameters. Only the capabilities parameter (type 2, RFC 5492) is supported.
    /// Session-level checks (peer AS, our own identifier) are the session's.
    /// </summary>
    private static BgpDecodeResult DecodeOpen(ReadOnlySpan<byte> body)
    {
        if (body[0] != BgpConstants.Version) return BgpDecodeResult.Fail(BgpDecodeError.UnsupportedVersion);
        ushort myAs = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
        ushort holdTime = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
        uint identifier = BinaryPrimitives.ReadUInt32BigEndian(body[5..]);
        int parametersLength = body[9];
        ReadOnlySpan<byte> parameters = body[10..];
        if (parametersLength != parameters.Length) return BgpDecodeResult.Fail(BgpDecodeError.MalformedOpen);
        if (holdTime is 1 or 2) return BgpDecodeResult.Fail(BgpDecodeError.UnacceptableHoldTime);
        if (identifier == 0) return BgpDecodeResult.Fail(BgpDecodeError.BadBgpIdentifier);

        var capabilities = new List<BgpCapability>();
        while (!parameters.IsEmpty)
        {
            if (parameters.Length < 2 || parameters[1] > parameters.Length - 2) return BgpDecodeResult.Fail(BgpDecodeError.MalformedOpen);
            byte parameterType = parameters[0];
            ReadOnlySpan<byte> value = parameters.Slice(2, parameters[1]);
            parameters = parameters[(2 + value.Length)..];
            if (parameterType != CapabilitiesParameter) return BgpDecodeResult.Fail(BgpDecodeError.UnsupportedOptionalParameter);
            // One parameter may hold several capabilities (RFC 5492 §4).
            while (!value.IsEmpty)
            {
                if (value.Length < 2 || value[1] > value.Length - 2) return BgpDecodeResult.Fail(BgpDecodeError.MalformedOpen);
                var capability = new BgpCapability(value[0], value.Slice(2, value[1]).ToArray());
                if (!capability.HasValidLength) return BgpDecodeResult.Fail(BgpDecodeError.MalformedOpen);
                capabilities.Add(capability);
                value = value[(2 + capability.Value.Length)..];
            }
        }
        return BgpDecodeResult.Ok(new BgpOpenMessage(myAs, holdTime, identifier, capabilities));
    }
}
