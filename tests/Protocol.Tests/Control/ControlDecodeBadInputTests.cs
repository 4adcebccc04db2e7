using MessagePack;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

public class ControlDecodeBadInputTests
{
    [Theory]
    [InlineData("", ControlDecodeError.TooShort)]
    [InlineData("56520101", ControlDecodeError.TooShort)]
    [InlineData("0000010080", ControlDecodeError.BadMagic)]
    [InlineData("5256010080", ControlDecodeError.BadMagic)]
    [InlineData("5652000180", ControlDecodeError.UnsupportedVersion)]
    [InlineData("5652020180", ControlDecodeError.UnsupportedVersion)]
    [InlineData("5652010080", ControlDecodeError.UnknownType)]
    [InlineData("5652010480", ControlDecodeError.UnknownType)]
    [InlineData("565201ff0080", ControlDecodeError.UnknownType)]
    [InlineData("565201010180", ControlDecodeError.TooShort)]
    [InlineData("5652010100", ControlDecodeError.MalformedBody)]
    [InlineData("565201010090", ControlDecodeError.MalformedBody)]
    [InlineData("565201010080", ControlDecodeError.MissingField)]
    [InlineData("56520102008200000180c0", ControlDecodeError.TrailingBytes)]
    public void TryDecode_BadHeaderOrShape_ReturnsTypedError(string hex, ControlDecodeError expected)
    {
        Assert.False(ControlCodec.TryDecode(Convert.FromHexString(hex), out ControlMessage? message, out ControlDecodeError error, out string? detail));
        Assert.Null(message);
        Assert.Equal(expected, error);
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }

    public static TheoryData<string, ControlDecodeError, string> BadRegisterBodies => new()
    {
        { "node id is an integer", ControlDecodeError.MalformedBody, "str expected" },
        { "node id empty", ControlDecodeError.InvalidNodeId, "node id of 0 bytes" },
        { "node id 256 bytes", ControlDecodeError.InvalidNodeId, "node id of 256 bytes" },
        { "hold time is a string", ControlDecodeError.MalformedBody, "Unexpected msgpack code 162 (fixstr)" },
        { "hold time above uint32", ControlDecodeError.MalformedBody, "out of the field's range" },
        { "hold time negative", ControlDecodeError.MalformedBody, "out of the field's range" },
        { "relayed is an integer", ControlDecodeError.MalformedBody, "Unexpected msgpack code 1 (positive fixint)" },
        { "response wanted 3", ControlDecodeError.InvalidValue, "response wanted 3" },
        { "vnis is an array", ControlDecodeError.MalformedBody, "Unexpected msgpack code 144 (fixarray)" },
        { "vni is a string", ControlDecodeError.MalformedBody, "Unexpected msgpack code 163 (fixstr)" },
        { "vni above 24 bits", ControlDecodeError.VniOutOfRange, "VNI 16777216" },
        { "address is a str", ControlDecodeError.MalformedBody, "bin expected" },
        { "address of 5 bytes", ControlDecodeError.BadAddressLength, "5 bytes" },
        { "address of 0 bytes", ControlDecodeError.BadAddressLength, "0 bytes" },
        { "duplicate vni", ControlDecodeError.DuplicateVni, "VNI 100 listed twice" },
        { "duplicate key", ControlDecodeError.MalformedBody, "key 1 repeated" },
        { "string key", ControlDecodeError.MalformedBody, "key must be an integer" },
        { "no vnis", ControlDecodeError.MissingField, "VNIs" },
        { "no node id", ControlDecodeError.MissingField, "node id" },
        { "huge vni map", ControlDecodeError.MalformedBody, "declares 4294967295" },
        { "huge address bin", ControlDecodeError.MalformedBody, "declares 4294967295" },
    };

    [Theory]
    [MemberData(nameof(BadRegisterBodies))]
    public void TryDecode_RegisterWithBadField_ReturnsTypedErrorNamingIt(string scenario, ControlDecodeError expected, string detailContains)
    {
        byte[] datagram = RegisterDatagram(scenario);
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error, out string? detail), scenario);
        Assert.Equal(expected, error);
        Assert.Contains(detailContains, detail);
    }

    [Fact]
    public void TryDecode_ValidBuilderBody_Succeeds()
    {
        Assert.True(ControlCodec.TryDecode(RegisterDatagram("valid"), out ControlMessage? m, out _, out string? detail), detail);
        Assert.Equal(new RegisterMessage("n", 30, false, WireResponseWanted.None, [new VniAddresses(100, [Samples.A("192.0.2.9")])]), m);
    }

    [Fact]
    public void TryDecode_UnknownKeyOfAnyType_IsSkipped()
    {
        byte[] datagram = Datagram(ControlMessageType.PeerList, (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(3);
            w.Write(40); w.WriteArrayHeader(2); w.Write("future"); w.WriteMapHeader(1); w.WriteNil(); w.Write(new byte[] { 1, 2 });
            w.Write(0); w.Write(5);
            w.Write(1); w.WriteMapHeader(0);
        });
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? m, out _, out string? detail), detail);
        Assert.Equal(new PeerListMessage(5, []), m);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    [InlineData(5, 3)]
    public void TryDecode_PeerListPartIndexNotBelowCount_ReturnsInvalidValue(int index, int count)
    {
        byte[] datagram = Datagram(ControlMessageType.PeerList, (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(4);
            w.Write(0); w.Write(5);
            w.Write(1); w.WriteMapHeader(0);
            w.Write(3); w.Write((uint)index);
            w.Write(4); w.Write((uint)count);
        });
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error));
        Assert.Equal(ControlDecodeError.InvalidValue, error);
    }

    [Theory]
    [InlineData("four fields", ControlDecodeError.MalformedBody)]
    [InlineData("source 4", ControlDecodeError.InvalidValue)]
    [InlineData("entry not an array", ControlDecodeError.MalformedBody)]
    [InlineData("no last", ControlDecodeError.MissingField)]
    [InlineData("65536 entries", ControlDecodeError.TooManyEntries)]
    public void TryDecode_SyncWithBadEntry_ReturnsTypedError(string scenario, ControlDecodeError expected)
    {
        byte[] datagram = Datagram(ControlMessageType.Sync, (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(scenario == "no last" ? 1 : 2);
            w.Write(0);
            if (scenario == "65536 entries")
            {
                // A declared count the bytes could hold (one byte each) but above the per-message limit.
                w.WriteArrayHeader(65536);
                w.WriteRaw(new byte[65536]);
            }
            else
            {
                w.WriteArrayHeader(1);
                if (scenario == "entry not an array") w.Write(1);
                else
                {
                    w.WriteArrayHeader(scenario == "four fields" ? 4 : 5);
                    w.Write(100); w.Write(new byte[] { 192, 0, 2, 1 }); w.Write(10); w.Write("n");
                    if (scenario != "four fields") w.Write(scenario == "source 4" ? 4u : 0u);
                }
            }
            if (scenario != "no last") { w.Write(1); w.Write(true); }
        });
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error, out string? detail));
        Assert.True(expected == error, $"{error}: {detail}");
    }

    [Fact]
    public void TryDecode_HugeDeclaredLengthsInBody_FailFastWithoutLargeAllocation()
    {
        byte[][] datagrams =
        [
            RegisterDatagram("huge vni map"),
            RegisterDatagram("huge address bin"),
            Convert.FromHexString("5652010300" + "81" + "00" + "ddffffffff" + "0000000000"),
            Convert.FromHexString("5652010100" + "dfffffffff" + "0000000000"),
            Convert.FromHexString("5652010100" + "81" + "00" + "dbffffffff" + "00"),
        ];
        foreach (byte[] d in datagrams) Assert.False(ControlCodec.TryDecode(d, out _, out _));
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (byte[] d in datagrams)
        {
            Assert.False(ControlCodec.TryDecode(d, out _, out ControlDecodeError error));
            Assert.Equal(ControlDecodeError.MalformedBody, error);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Exceptions and detail strings only (a few KB each); a buffer sized by any claim would be >= 4 GB.
        Assert.InRange(allocated, 0, datagrams.Length * 16 * 1024);
    }

    [Fact]
    public void TryDecode_TrailerFlagWithGarbageMac_DecodesButDoesNotVerify()
    {
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? m, out _));
        Assert.Equal(new AuthenticationTrailer(0, 0, 0), m.Authentication);
        Assert.False(ControlAuthenticator.Verify(datagram, "key"u8));
    }

    private static byte[] RegisterDatagram(string scenario) => Datagram(ControlMessageType.Register, (ref MessagePackWriter w) =>
    {
        bool omitNodeId = scenario == "no node id", omitVnis = scenario == "no vnis";
        w.WriteMapHeader(3 - (omitNodeId ? 1 : 0) - (omitVnis ? 1 : 0) + (scenario is "duplicate key" or "string key" ? 1 : 0) + (scenario.StartsWith("relayed") || scenario.StartsWith("response") ? 1 : 0));
        if (!omitNodeId)
        {
            w.Write(0);
            switch (scenario)
            {
                case "node id is an integer": w.Write(7); break;
                case "node id empty": w.Write(""); break;
                case "node id 256 bytes": w.Write(new string('n', 256)); break;
                default: w.Write("n"); break;
            }
        }
        w.Write(1);
        switch (scenario)
        {
            case "hold time is a string": w.Write("30"); break;
            case "hold time above uint32": w.Write(1ul << 32); break;
            case "hold time negative": w.Write(-1L); break;
            default: w.Write(30); break;
        }
        if (scenario == "duplicate key") { w.Write(1); w.Write(30); }
        if (scenario == "string key") { w.Write("x"); w.WriteNil(); }
        if (scenario == "relayed is an integer") { w.Write(2); w.Write(1); }
        if (scenario == "response wanted 3") { w.Write(3); w.Write(3); }
        if (omitVnis) return;
        w.Write(4);
        switch (scenario)
        {
            case "vnis is an array": w.WriteArrayHeader(0); return;
            case "huge vni map": w.WriteRaw(new byte[] { 0xdf, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 }); return;
            case "duplicate vni":
                w.WriteMapHeader(2);
                w.Write(100); w.WriteArrayHeader(0);
                w.Write(100); w.WriteArrayHeader(0);
                return;
        }
        w.WriteMapHeader(1);
        switch (scenario)
        {
            case "vni is a string": w.Write("100"); break;
            case "vni above 24 bits": w.Write(1u << 24); break;
            default: w.Write(100); break;
        }
        w.WriteArrayHeader(1);
        switch (scenario)
        {
            case "address is a str": w.Write("192.0.2.9"); break;
            case "address of 5 bytes": w.Write(new byte[] { 192, 0, 2, 9, 0 }); break;
            case "address of 0 bytes": w.Write(Array.Empty<byte>()); break;
            case "huge address bin": w.WriteRaw(new byte[] { 0xc6, 0xff, 0xff, 0xff, 0xff, 192, 0, 2, 9 }); break;
            default: w.Write(new byte[] { 192, 0, 2, 9 }); break;
        }
    });

    internal delegate void BodyAction(ref MessagePackWriter writer);

    /// <summary>A header and a body written by hand with MessagePack-CSharp's writer (for bodies our own writer would never produce).</summary>
    internal static byte[] Datagram(ControlMessageType type, BodyAction body)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        System.Buffers.BuffersExtensions.Write<byte>(output, [0x56, 0x52, 0x01, (byte)type, 0x00]);
        var writer = new MessagePackWriter(output);
        body(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
