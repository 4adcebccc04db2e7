using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

public class SyncFramingTests
{
    [Fact]
    public async Task WriteFrameAsync_ThenReadFrameAsync_RoundTripsEveryFrameThenNull()
    {
        IReadOnlyList<byte[]> frames = ControlCodec.EncodeSync(ManyEntries(500), maxFrameBytes: 4096);
        var stream = new MemoryStream();
        foreach (byte[] f in frames) await SyncFraming.WriteFrameAsync(stream, f);
        stream.Position = 0;

        var entries = new List<SyncEntry>();
        int count = 0;
        while (await SyncFraming.ReadFrameAsync(stream, 4096) is { } frame)
        {
            Assert.True(ControlCodec.TryDecode(frame, out ControlMessage? m, out _, out string? detail), detail);
            var sync = Assert.IsType<SyncMessage>(m);
            Assert.Equal(++count == frames.Count, sync.Last);
            entries.AddRange(sync.Entries);
        }
        Assert.Equal(frames.Count, count);
        Assert.True(count > 1);
        Assert.Equal(ManyEntries(500), entries);
    }

    [Fact]
    public void WriteFrame_Prefix_IsBigEndianLength()
    {
        var stream = new MemoryStream();
        SyncFraming.WriteFrame(stream, new byte[] { 0x56, 0x52, 1, 3, 0, 0x80 });
        Assert.Equal("000000065652010300" + "80", Convert.ToHexStringLower(stream.ToArray()));
    }

    [Theory]
    [InlineData("ffffffff", SyncFramingError.FrameTooLarge)]
    [InlineData("00100001", SyncFramingError.FrameTooLarge)]
    [InlineData("00000000", SyncFramingError.FrameTooSmall)]
    [InlineData("00000004", SyncFramingError.FrameTooSmall)]
    [InlineData("000000", SyncFramingError.Truncated)]
    [InlineData("0000000656520103", SyncFramingError.Truncated)]
    public async Task ReadFrameAsync_BadPrefix_ThrowsTypedWithoutAllocatingTheClaim(string hex, SyncFramingError expected)
    {
        var stream = new MemoryStream(Convert.FromHexString(hex));
        long before = GC.GetAllocatedBytesForCurrentThread();
        SyncFramingException e = await Assert.ThrowsAsync<SyncFramingException>(async () => await SyncFraming.ReadFrameAsync(stream));
        Assert.Equal(expected, e.Error);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 * 1024);
    }

    [Fact]
    public void EncodeSync_EmptyTable_IsOneEmptyLastMessage()
    {
        IReadOnlyList<byte[]> frames = ControlCodec.EncodeSync([]);
        Assert.Single(frames);
        Assert.True(ControlCodec.TryDecode(frames[0], out ControlMessage? m, out _));
        Assert.Equal(new SyncMessage([], true), m);
    }

    [Fact]
    public void EncodeSync_MaxTooSmallForOneEntry_ReturnsTypedError()
    {
        Assert.False(ControlCodec.TryEncodeSync(ManyEntries(1), 20, false, out _, out ControlEncodeError error));
        Assert.Equal(ControlEncodeError.MaxSizeTooSmall, error);
    }

    [Fact]
    public void EncodeSync_FramesAreWithinMaximum()
    {
        foreach (int max in new[] { 60, 100, 1000 })
        {
            IReadOnlyList<byte[]> frames = ControlCodec.EncodeSync(ManyEntries(200), max);
            Assert.All(frames, f => Assert.InRange(f.Length, 1, max));
        }
    }

    internal static List<SyncEntry> ManyEntries(int count)
    {
        var list = new List<SyncEntry>(count);
        for (int i = 0; i < count; i++)
        {
            var address = i % 3 == 0 ? Samples.A($"2001:db8::{i:x}") : Samples.A($"198.51.100.{i % 250}");
            list.Add(new SyncEntry((uint)(i * 997 % 16_777_216), address, (uint)(i * 13), $"vtep-{i % 17}", (WireEntrySource)(i % 4)));
        }
        return list;
    }
}
