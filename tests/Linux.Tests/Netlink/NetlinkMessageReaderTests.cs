using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Netlink;

public class NetlinkMessageReaderTests
{
    [Fact]
    public void TryRead_CapturedNeighDump_YieldsTwoMessagesThenEnds()
    {
        var reader = new NetlinkMessageReader(CapturedReplies.Bytes(CapturedReplies.NeighDumpPart));
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(Nl.RTM_NEWNEIGH, first.Type);
        Assert.Equal(Nl.NLM_F_MULTI, first.Flags);
        Assert.Equal(1002u, first.Sequence);
        Assert.Equal(0x4c - 16, first.Payload.Length);
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(Nl.RTM_NEWNEIGH, second.Type);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.None, reader.Error);
    }

    [Fact]
    public void TryGetFamilyHeader_CapturedDefaultEntry_ReadsNdmsgAndAttributes()
    {
        var reader = new NetlinkMessageReader(CapturedReplies.Bytes(CapturedReplies.NeighDumpPart));
        reader.TryRead(out _);
        reader.TryRead(out var message);

        Assert.True(message.TryGetFamilyHeader(out ndmsg header, out var attributes));
        Assert.Equal(7, header.ndm_family); // AF_BRIDGE
        Assert.Equal(2, header.ndm_ifindex);
        Assert.Equal(Nl.NUD_NOARP | Nl.NUD_PERMANENT, header.ndm_state);
        Assert.Equal(Nl.NTF_SELF, header.ndm_flags);

        Assert.True(attributes.TryRead(out var lladdr));
        Assert.Equal(Nl.NDA_LLADDR, lladdr.Type);
        Assert.Equal(new byte[6], lladdr.Value.ToArray());
        Assert.True(attributes.TryRead(out var dst));
        Assert.Equal(Nl.NDA_DST, dst.Type);
        Assert.Equal(new byte[] { 192, 0, 2, 9 }, dst.Value.ToArray());
        Assert.True(attributes.TryRead(out var cacheinfo));
        Assert.Equal(Nl.NDA_CACHEINFO, cacheinfo.Type);
        Assert.False(attributes.TryRead(out _));
        Assert.Equal(NetlinkReadError.None, attributes.Error);
    }

    [Fact]
    public void TryRead_CapturedDone_IsMultipartDoneWithZeroError()
    {
        var reader = new NetlinkMessageReader(CapturedReplies.Bytes(CapturedReplies.NeighDumpDone));
        Assert.True(reader.TryRead(out var done));
        Assert.Equal(Nl.NLMSG_DONE, done.Type);
        Assert.NotEqual(0, done.Flags & Nl.NLM_F_MULTI);
        Assert.Equal(new byte[4], done.Payload.ToArray());
    }

    [Fact]
    public void TryGetError_CapturedExtendedAck_ReturnsErrnoAndMessage()
    {
        var reader = new NetlinkMessageReader(CapturedReplies.Bytes(CapturedReplies.ErrorWithExtendedAck));
        Assert.True(reader.TryRead(out var message));
        Assert.Equal(Nl.NLMSG_ERROR, message.Type);
        Assert.True(message.TryGetError(out int error, out var request, out var text));
        Assert.Equal(-95, error); // EOPNOTSUPP
        Assert.Equal(Nl.RTM_NEWLINK, request.nlmsg_type);
        Assert.Equal(1003u, request.nlmsg_seq);
        Assert.Equal("Unknown device type", System.Text.Encoding.ASCII.GetString(text));
    }

    [Fact]
    public void TryGetError_CapturedCappedAck_ReturnsZero()
    {
        var reader = new NetlinkMessageReader(CapturedReplies.Bytes(CapturedReplies.Ack));
        Assert.True(reader.TryRead(out var message));
        Assert.True(message.TryGetError(out int error, out var request, out var text));
        Assert.Equal(0, error);
        Assert.Equal(Nl.RTM_NEWNEIGH, request.nlmsg_type);
        Assert.True(text.IsEmpty);
    }

    [Fact]
    public void TryGetError_NotAnErrorMessage_ReturnsFalse()
    {
        var reader = new NetlinkMessageReader(CapturedReplies.Bytes(CapturedReplies.NeighDumpDone));
        reader.TryRead(out var done);
        Assert.False(done.TryGetError(out _, out _, out _));
    }

    [Fact]
    public void TryRead_EveryTruncation_NeverThrowsAndReportsWhy()
    {
        byte[] full = CapturedReplies.Bytes(CapturedReplies.NeighDumpPart);
        for (int length = 0; length < full.Length; length++)
        {
            var reader = new NetlinkMessageReader(full.AsSpan(0, length));
            int count = 0;
            while (reader.TryRead(out var message))
            {
                count++;
                WalkAttributes<ndmsg>(message);
            }
            bool boundary = length == 0 || length == 0x4c;
            Assert.Equal(boundary ? NetlinkReadError.None : length < 16 || (length > 0x4c && length < 0x4c + 16) ? NetlinkReadError.Truncated : NetlinkReadError.BadLength, reader.Error);
            Assert.Equal(length >= 0x4c ? 1 : 0, count);
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    [InlineData(21u)]
    [InlineData(uint.MaxValue)]
    public void TryRead_BadLengthField_StopsWithBadLength(uint nlmsgLen)
    {
        byte[] bytes = CapturedReplies.Bytes(CapturedReplies.NeighDumpDone); // 20 bytes
        BitConverter.TryWriteBytes(bytes, nlmsgLen);
        var reader = new NetlinkMessageReader(bytes);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.BadLength, reader.Error);
    }

    [Fact]
    public void TryGetError_TruncatedOrLyingExtendedAck_NeverThrows()
    {
        byte[] full = CapturedReplies.Bytes(CapturedReplies.ErrorWithExtendedAck);
        for (int length = 16; length <= full.Length; length++)
        {
            byte[] copy = full[..length];
            BitConverter.TryWriteBytes(copy, (uint)length);
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));
            _ = message.TryGetError(out _, out _, out _);
        }
        // An echoed request length that points past the end.
        byte[] lying = (byte[])full.Clone();
        BitConverter.TryWriteBytes(lying.AsSpan(20), 0xFFFFu);
        var r = new NetlinkMessageReader(lying);
        Assert.True(r.TryRead(out var m));
        Assert.True(m.TryGetError(out int error, out _, out var text));
        Assert.Equal(-95, error);
        Assert.True(text.IsEmpty);
    }

    [Fact]
    public void Readers_RandomBytes_NeverThrow()
    {
        var random = new Random(4789);
        byte[] buffer = new byte[512];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            int length = random.Next(buffer.Length);
            // Plausible lengths make the fuzz reach the attribute readers.
            if (length >= 16 && random.Next(2) == 0)
            {
                BitConverter.TryWriteBytes(buffer, (uint)random.Next(16, length + 1));
            }
            var reader = new NetlinkMessageReader(buffer.AsSpan(0, length));
            while (reader.TryRead(out var message))
            {
                WalkAttributes<ifinfomsg>(message);
                _ = message.TryGetError(out _, out _, out _);
            }
        }
    }

    private static void WalkAttributes<T>(NetlinkMessage message) where T : unmanaged
    {
        if (message.TryGetFamilyHeader(out T _, out var attributes))
        {
            Walk(attributes, 0);
        }
    }

    private static void Walk(NetlinkAttributeReader reader, int depth)
    {
        while (reader.TryRead(out var attribute))
        {
            _ = attribute.TryGetUInt32(out _);
            _ = attribute.TryGetUInt16BigEndian(out _);
            _ = attribute.GetString();
            if (depth < 4)
            {
                Walk(attribute.Nested, depth + 1);
            }
        }
    }
}
