using System.Collections.Immutable;
using System.Net;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// The answer encodings' two lifetimes: plain lists, deltas and empty lists for one registry batch, full
/// lists for as long as their generations are current, within a count and a byte bound.
/// </summary>
public sealed class AnswerEncodingsTests
{
    private static readonly AnswerEncodings.Form Plain = new(90, Signed: false, CookieRoom: false);

    private static IReadOnlyList<byte[]> Datagrams(int count, int bytes) => [.. Enumerable.Range(0, count).Select(_ => new byte[bytes])];

    private static ImmutableArray<IPAddress> Members(int count) => [.. Enumerable.Range(1, count).Select(i => IPAddress.Parse($"198.51.100.{i}"))];

    [Fact]
    public void GetOrEncodeList_SameGenerationsInALaterBatch_SameDatagramsRenewedOncePerBatch()
    {
        var encodings = new AnswerEncodings();
        int encoded = 0, renewed = 0;
        Func<int, IReadOnlyList<byte[]>> encode = _ => { encoded++; return Datagrams(3, 100); };
        Action<IReadOnlyList<byte[]>> renew = _ => renewed++;

        var first = encodings.GetOrEncodeList([7, 41], Plain, 0, encode, renew);
        Assert.Same(first, encodings.GetOrEncodeList([7, 41], Plain, 0, encode, renew));
        Assert.Equal(0, renewed); // made in this batch: signed already
        encodings.EndBatch();
        Assert.Same(first, encodings.GetOrEncodeList([7, 41], Plain, 0, encode, renew));
        Assert.Same(first, encodings.GetOrEncodeList([7, 41], Plain, 0, encode, renew));

        Assert.Equal(1, encoded);
        Assert.Equal(1, renewed);
    }

    [Fact]
    public void GetOrEncodeList_OtherForm_EncodedAgainAndReplaced()
    {
        var encodings = new AnswerEncodings();
        var first = encodings.GetOrEncodeList([7, 41], Plain, 0, _ => Datagrams(1, 100));
        var other = encodings.GetOrEncodeList([7, 41], Plain with { HoldTimeSeconds = 30 }, 0, _ => Datagrams(1, 100));

        Assert.NotSame(first, other);
        Assert.Equal(1, encodings.ListCount);
        Assert.Equal(100, encodings.ListBytes);
    }

    [Fact]
    public void EndBatch_PlainListsForgottenFullListsKept()
    {
        var encodings = new AnswerEncodings();
        encodings.GetOrEncode(AnswerEncodings.Shape.Plain, [7], 0, _ => Datagrams(1, 10));
        encodings.GetOrEncode(AnswerEncodings.Shape.Delta, [7, 40], 0, _ => Datagrams(1, 10));
        encodings.GetOrEncodeList([7, 41], Plain, 0, _ => Datagrams(1, 10));

        encodings.EndBatch();

        Assert.Equal(1, encodings.Count);
        Assert.Equal(1, encodings.ListCount);
    }

    [Fact]
    public void DropStale_GenerationMovedOnOrVniGone_Dropped()
    {
        var history = new PeerListHistory(new Random(19));
        history.Record(7, Members(3));
        history.Record(8, Members(2));
        history.Record(9, Members(2));
        history.TryGetCurrent(7, out uint g7, out _);
        history.TryGetCurrent(8, out uint g8, out _);
        history.TryGetCurrent(9, out uint g9, out _);
        var encodings = new AnswerEncodings();
        encodings.GetOrEncodeList([7, g7, 8, g8], Plain, 0, _ => Datagrams(1, 10));
        encodings.GetOrEncodeList([8, g8], Plain, 0, _ => Datagrams(1, 10));
        encodings.GetOrEncodeList([9, g9], Plain, 0, _ => Datagrams(1, 10));
        Assert.Equal(0, encodings.DropStale(history));

        history.Record(7, Members(4)); // a new generation
        history.Record(9, []); // the VNI has no members left

        // Named by nobody (no message generation): nothing to keep them for.
        Assert.Equal(2, encodings.DropStale(history));
        Assert.Equal(1, encodings.ListCount);
        Assert.Equal(10, encodings.ListBytes);
    }

    [Fact]
    public void DropStale_GenerationMovedOn_RetiredAddressableByMessageUntilTheStaleLifetime()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var history = new PeerListHistory(new Random(19));
        history.Record(7, Members(3));
        history.TryGetCurrent(7, out uint g7, out _);
        var encodings = new AnswerEncodings(time);
        var first = encodings.GetOrEncodeList([7, g7], Plain, 0, _ => Datagrams(2, 10), messageGeneration: _ => 500);
        history.Record(7, Members(4));

        Assert.Equal(1, encodings.DropStale(history));
        Assert.Equal((1, 1, 20L), (encodings.ListCount, encodings.StaleCount, encodings.ListBytes));
        // Not what an answer at the new generation says, but still there for a VTEP naming message 500.
        history.TryGetCurrent(7, out uint g7b, out _);
        Assert.NotSame(first, encodings.GetOrEncodeList([7, g7b], Plain, 0, _ => Datagrams(2, 10), messageGeneration: _ => 501));
        Assert.True(encodings.TryGetMessage(500, Plain, null, out var kept));
        Assert.Same(first, kept.Datagrams);
        Assert.Equal([7u, g7], kept.Generations);
        Assert.False(encodings.TryGetMessage(500, Plain with { Signed = true }, null, out _)); // another form: not what is sent now
        Assert.False(encodings.TryGetMessage(499, Plain, null, out _));

        time.Advance(AnswerEncodings.StaleLifetime);
        Assert.False(encodings.TryGetMessage(500, Plain, null, out _));
        encodings.DropStale(history);
        Assert.Equal((1, 0, 20L), (encodings.ListCount, encodings.StaleCount, encodings.ListBytes));
        Assert.True(encodings.TryGetMessage(501, Plain, null, out _));
    }

    [Fact]
    public void TryGetMessage_KeptFromAnEarlierBatch_RenewedOncePerBatch()
    {
        var encodings = new AnswerEncodings();
        int renewed = 0;
        encodings.GetOrEncodeList([7, 41], Plain, 0, _ => Datagrams(3, 100), messageGeneration: _ => 9);
        Assert.True(encodings.TryGetMessage(9, Plain, _ => renewed++, out _));
        Assert.Equal(0, renewed); // made in this batch: signed already
        encodings.EndBatch();
        Assert.True(encodings.TryGetMessage(9, Plain, _ => renewed++, out _));
        Assert.True(encodings.TryGetMessage(9, Plain, _ => renewed++, out _));
        Assert.Equal(1, renewed);
    }

    [Fact]
    public void GetOrEncodeList_RetiredListsCountAgainstTheBounds_LeastRecentlyUsedGoFirst()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var history = new PeerListHistory(new Random(19));
        history.Record(7, Members(3));
        var encodings = new AnswerEncodings(time);
        uint message = 1;
        for (int i = 0; i < AnswerEncodings.MaxLists + 10; i++)
        {
            history.TryGetCurrent(7, out uint g, out _);
            uint m = message++;
            encodings.GetOrEncodeList([7, g], Plain, 0, _ => Datagrams(1, 10), messageGeneration: _ => m);
            history.Record(7, Members(3 + i % 2 + 1)); // a new generation every time
            encodings.DropStale(history);
        }

        Assert.Equal(AnswerEncodings.MaxLists, encodings.ListCount);
        Assert.False(encodings.TryGetMessage(1, Plain, null, out _));
        Assert.True(encodings.TryGetMessage(message - 1, Plain, null, out _));
    }

    [Fact]
    public void GetOrEncodeList_BeyondTheCountBound_LeastRecentlyUsedDropped()
    {
        var encodings = new AnswerEncodings();
        for (uint vni = 1; vni <= AnswerEncodings.MaxLists; vni++) encodings.GetOrEncodeList([vni, 1], Plain, 0, _ => Datagrams(1, 10));
        var first = encodings.GetOrEncodeList([1, 1], Plain, 0, _ => Datagrams(1, 10)); // used again: the most recent now

        encodings.GetOrEncodeList([100_000, 1], Plain, 0, _ => Datagrams(1, 10));

        Assert.Equal(AnswerEncodings.MaxLists, encodings.ListCount);
        Assert.Same(first, encodings.GetOrEncodeList([1, 1], Plain, 0, _ => Datagrams(1, 10)));
        int encoded = 0;
        encodings.GetOrEncodeList([2, 1], Plain, 0, _ => { encoded++; return Datagrams(1, 10); }); // the least recently used went
        Assert.Equal(1, encoded);
    }

    [Fact]
    public void GetOrEncodeList_BeyondTheByteBound_OldestDroppedAndOversizedNotKept()
    {
        var encodings = new AnswerEncodings();
        const int Part = 1400;
        int partsPerList = (int)(AnswerEncodings.MaxListBytes / Part / 4); // four lists fill the bound
        for (uint vni = 1; vni <= 5; vni++) encodings.GetOrEncodeList([vni, 1], Plain, 0, _ => Datagrams(partsPerList, Part));

        Assert.Equal(4, encodings.ListCount);
        Assert.True(encodings.ListBytes <= AnswerEncodings.MaxListBytes);

        var huge = encodings.GetOrEncodeList([99, 1], Plain, 0, _ => Datagrams((int)(AnswerEncodings.MaxListBytes / Part) + 1, Part));
        Assert.NotEmpty(huge);
        Assert.Equal(4, encodings.ListCount); // sent, not kept: it would have pushed out everything else
    }
}
