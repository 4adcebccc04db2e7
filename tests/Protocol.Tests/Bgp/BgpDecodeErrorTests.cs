using Replicator.Protocol.Bgp;

namespace Replicator.Protocol.Tests.Bgp;

/// <summary>Each kind of bad input gives its typed error and the NOTIFICATION RFC 4271 §6 / RFC 7606 prescribe.</summary>
public class BgpDecodeErrorTests
{
    private const string M = "ffffffffffffffffffffffffffffffff";
    private const string Reach = "90 0e 001c 0019 46 04 c000020b 00 03 11 0001c000020b0002 00000000 20 c000020b";

    [Theory]
    [InlineData("fffffffffffffffffffffffffffffffe 0013 04", BgpDecodeError.ConnectionNotSynchronized, 1, 1)]
    [InlineData(M + "0012 04", BgpDecodeError.BadMessageLength, 1, 2)]
    [InlineData(M + "1001 04", BgpDecodeError.BadMessageLength, 1, 2)]
    [InlineData(M + "0014 04 00", BgpDecodeError.BadMessageLength, 1, 2)]
    [InlineData(M + "0013 09", BgpDecodeError.BadMessageType, 1, 3)]
    [InlineData(M + "0013 02", BgpDecodeError.BadMessageLength, 1, 2)]
    [InlineData(M + "001d 01 03 fde8 005a c0000201 00", BgpDecodeError.UnsupportedVersion, 2, 1)]
    [InlineData(M + "001d 01 04 fde8 0001 c0000201 00", BgpDecodeError.UnacceptableHoldTime, 2, 6)]
    [InlineData(M + "001d 01 04 fde8 005a 00000000 00", BgpDecodeError.BadBgpIdentifier, 2, 3)]
    [InlineData(M + "001f 01 04 fde8 005a c0000201 02 01 00", BgpDecodeError.UnsupportedOptionalParameter, 2, 4)]
    [InlineData(M + "001f 01 04 fde8 005a c0000201 02 02 05", BgpDecodeError.MalformedOpen, 2, 0)]
    [InlineData(M + "0023 01 04 fde8 005a c0000201 06 02 04 41 02 0000", BgpDecodeError.MalformedOpen, 2, 0)]
    [InlineData(M + "001e 01 04 fde8 005a c0000201 00 00", BgpDecodeError.MalformedOpen, 2, 0)]
    public void Decode_BadHeaderOrOpen_TypedErrorAndNotification(string hex, BgpDecodeError expected, int code, int subcode) =>
        AssertFails(BgpSamples.Hex(hex), expected, code, subcode);

    [Theory]
    [InlineData(2, "0005 0000", BgpDecodeError.MalformedAttributeList, 3, 1)]
    [InlineData(2, "0000 0001", BgpDecodeError.MalformedAttributeList, 3, 1)]
    [InlineData(2, "0000 0003 40 01 05", BgpDecodeError.MalformedAttributeList, 3, 1)]
    [InlineData(2, "0000 0003 40 63 00", BgpDecodeError.UnrecognizedWellKnownAttribute, 3, 2)]
    [InlineData(2, "0002 21 00 0000", BgpDecodeError.InvalidNetworkField, 3, 10)]
    [InlineData(2, "0000 0000 18 c0 00", BgpDecodeError.InvalidNetworkField, 3, 10)]
    [InlineData(2, "0000 001f c0 0e 1c 0019 46 04 c000020b 00 03 11 0001c000020b0002 00000000 20 c000020b", BgpDecodeError.MalformedMpReach, 3, 9)]
    [InlineData(2, "0000 001f 80 0e 1c 0019 46 04 c000020b 00 03 10 0001c000020b0002 00000000 20 c000020b", BgpDecodeError.MalformedMpReach, 3, 9)]
    [InlineData(2, "0000 001f 80 0e 1c 0019 46 04 c000020b 00 03 11 0001c000020b0002 00000000 21 c000020b", BgpDecodeError.MalformedMpReach, 3, 9)]
    [InlineData(2, "0000 001e 80 0e 1b 0019 46 03 c00002 00 03 11 0001c000020b0002 00000000 20 c000020b", BgpDecodeError.MalformedMpReach, 3, 9)]
    [InlineData(2, "0000 0007 80 0f 04 0019 46 03", BgpDecodeError.MalformedMpUnreach, 3, 9)]
    [InlineData(2, "0000 0005 80 0f 02 0019", BgpDecodeError.MalformedMpUnreach, 3, 9)]
    [InlineData(2, "0000 000d 90 0f 0003 0019 46 80 0f 03 0019 46", BgpDecodeError.DuplicateMpAttribute, 3, 1)]
    [InlineData(5, "0019 00 46 00", BgpDecodeError.InvalidRouteRefreshLength, 7, 1)]
    [InlineData(5, "0019 00", BgpDecodeError.InvalidRouteRefreshLength, 7, 1)]
    public void Decode_BadBody_TypedErrorAndNotification(int type, string body, BgpDecodeError expected, int code, int subcode) =>
        AssertFails(Message((BgpMessageType)type, BgpSamples.Hex(body)), expected, code, subcode);

    private static void AssertFails(byte[] message, BgpDecodeError expected, int code, int subcode)
    {
        BgpDecodeResult result = BgpCodec.Decode(message);
        Assert.Null(result.Message);
        Assert.Equal(expected, result.Error);
        Assert.False(expected.IsTreatAsWithdraw());
        Assert.Equal(((BgpErrorCode)code, (byte)subcode), expected.ToNotification());
    }

    [Theory]
    [InlineData("40 01 01 03 50 02 0000", BgpDecodeError.InvalidOrigin)]
    [InlineData("40 01 02 0000 50 02 0000", BgpDecodeError.AttributeLength)]
    [InlineData("80 01 01 00 50 02 0000", BgpDecodeError.AttributeFlags)]
    [InlineData("40 01 01 00 50 02 0002 02 00", BgpDecodeError.MalformedAsPath)]
    [InlineData("40 01 01 00 50 02 0006 07 01 0000fde8", BgpDecodeError.MalformedAsPath)]
    [InlineData("50 02 0000", BgpDecodeError.MissingWellKnownAttribute)]
    [InlineData("40 01 01 00", BgpDecodeError.MissingWellKnownAttribute)]
    [InlineData("40 01 01 00 50 02 0000 c0 10 07 030c0000000000", BgpDecodeError.MalformedExtendedCommunities)]
    [InlineData("40 01 01 00 50 02 0000 c0 16 07 00 06 000064 c000", BgpDecodeError.MalformedPmsiTunnel)]
    [InlineData("40 01 01 00 50 02 0000 c0 16 04 00 06 0000", BgpDecodeError.MalformedPmsiTunnel)]
    [InlineData("40 01 01 00 50 02 0000 80 0a 00", BgpDecodeError.AttributeLength)]
    [InlineData("40 01 01 00 50 02 0000 40 09 04 c000020b", BgpDecodeError.AttributeFlags)]
    public void Decode_BadAttribute_TreatAsWithdraw(string attributes, BgpDecodeError expected)
    {
        byte[] attributeBytes = BgpSamples.Hex(Reach + attributes);
        byte[] message = Message(BgpMessageType.Update, [0, 0, 0, (byte)attributeBytes.Length, .. attributeBytes]);
        BgpDecodeResult result = BgpCodec.Decode(message);
        var update = Assert.IsType<BgpUpdateMessage>(result.Message);
        Assert.Equal(expected, update.AttributeError);
        Assert.True(expected.IsTreatAsWithdraw());
        Assert.Single(update.MpReach!.Routes);
    }

    [Fact]
    public void Decode_UnknownOptionalAttributeAndOtherRouteTypes_IgnoredAndCounted()
    {
        // An unknown optional transitive attribute (99), ATOMIC_AGGREGATE, and a type-5 route next to the type-3 one.
        byte[] attributeBytes = BgpSamples.Hex("90 0e 0023 0019 46 04 c000020b 00 03 11 0001c000020b0002 00000000 20 c000020b 05 05 0000000000"
            + "40 01 01 00 50 02 0000 c0 63 02 abcd 40 06 00");
        byte[] message = Message(BgpMessageType.Update, [0, 0, 0, (byte)attributeBytes.Length, .. attributeBytes]);
        var update = Assert.IsType<BgpUpdateMessage>(BgpCodec.Decode(message).Message);
        Assert.Equal(BgpDecodeError.None, update.AttributeError);
        Assert.Equal(1, update.UnknownAttributes);
        Assert.Equal(1, update.MpReach!.SkippedRoutes);
        Assert.Single(update.MpReach.Routes);
    }

    /// <summary>A header with the right length in front of <paramref name="body"/>.</summary>
    private static byte[] Message(BgpMessageType type, byte[] body)
    {
        byte[] message = [.. BgpSamples.Hex(M), 0, 0, (byte)type, .. body];
        message[16] = (byte)(message.Length >> 8);
        message[17] = (byte)message.Length;
        return message;
    }
}
