using System.Diagnostics;
using MessagePack;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Vectors;

/// <summary>
/// Every truncation of every vector, and seeded random mutations of them, through the control
/// decoder, the sync framing and the bare reader: only typed failures come out, nothing hangs.
/// </summary>
public class VectorMutationTests
{
    private const int Seed = 20261122;
    private const int Mutations = 120_000;

    private static readonly Lazy<List<(string Name, byte[] Bytes)>> Corpus = new(() =>
    {
        var corpus = new List<(string, byte[])>();
        foreach (string sub in new[] { "ours", "python" })
        {
            foreach (string file in RepositoryFiles.HexFiles(sub))
            {
                string name = Path.GetFileName(file);
                byte[] bytes = RepositoryFiles.ReadHex(file);
                // Frames are tested as streams below; as datagrams they are their message.
                corpus.Add((name, name.EndsWith(".frame.hex", StringComparison.Ordinal) ? bytes[SyncFraming.PrefixSize..] : bytes));
            }
        }
        return corpus;
    });

    [Fact]
    public void EveryTruncation_OfEveryControlVector_IsRejectedWithTypedError()
    {
        int checkedCount = 0;
        foreach ((string name, byte[] bytes) in Corpus.Value.Where(c => !c.Name.StartsWith("value-", StringComparison.Ordinal)))
        {
            Assert.True(ControlCodec.TryDecode(bytes, out _, out _, out string? detail), $"{name} itself must decode: {detail}");
            for (int length = 0; length < bytes.Length; length++)
            {
                bool ok = ControlCodec.TryDecode(bytes.AsSpan(0, length), out ControlMessage? m, out ControlDecodeError error, out detail);
                Assert.False(ok, $"{name} truncated to {length} bytes decoded as {m}");
                Assert.NotEqual(ControlDecodeError.None, error);
                Assert.False(string.IsNullOrEmpty(detail));
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 1000, $"only {checkedCount} truncations");
    }

    [Fact]
    public void EveryTruncation_OfEveryVector_ReaderThrowsOnlyLibraryExceptions()
    {
        foreach ((string name, byte[] bytes) in Corpus.Value)
        {
            int bodyStart = name.StartsWith("value-", StringComparison.Ordinal) ? 0 : ControlHeader.Size;
            int bodyEnd = bytes.Length - (bodyStart > 0 && (bytes[4] & 1) != 0 ? ControlAuthenticator.TrailerSize : 0);
            byte[] body = bytes[bodyStart..bodyEnd];
            for (int length = 0; length < body.Length; length++)
            {
                Exception? e = Record.Exception(() => Canonical.Value(body.AsSpan(0, length)));
                Assert.True(IsReaderFailure(e), $"{name} truncated to {length}: {e}");
            }
        }
    }

    [Fact]
    public void EveryTruncation_OfTheSyncFrame_ThrowsSyncFramingExceptionOrEndsCleanly()
    {
        byte[] frame = RepositoryFiles.ReadHex(OurVectors.PathOf("sync-two.frame.hex"));
        for (int length = 0; length < frame.Length; length++)
        {
            using var stream = new MemoryStream(frame, 0, length);
            if (length == 0)
            {
                Assert.Null(SyncFraming.ReadFrame(stream));
                continue;
            }
            SyncFramingException e = Assert.Throws<SyncFramingException>(() => SyncFraming.ReadFrame(stream));
            Assert.Equal(SyncFramingError.Truncated, e.Error);
        }
    }

    [Fact]
    public async Task SeededRandomMutations_OfEveryVector_OnlyTypedFailuresAndFast()
    {
        // On a background task so that a hang fails the test instead of stalling the suite.
        Task<(int, int, TimeSpan)> run = Task.Run(RunMutations);
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == run, "mutation run did not finish in 60 s: something hangs");
        (int decoded, int rejected, TimeSpan elapsed) = await run;
        Assert.Equal(Mutations, decoded + rejected);
        Assert.True(rejected > Mutations / 10, $"only {rejected} of {Mutations} mutations rejected: mutations too weak");
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"{Mutations} mutations took {elapsed}");
    }

    private static (int Decoded, int Rejected, TimeSpan Elapsed) RunMutations()
    {
        var random = new Random(Seed);
        List<(string Name, byte[] Bytes)> corpus = Corpus.Value;
        var buffer = new List<byte>(2048);
        int decoded = 0, rejected = 0;
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < Mutations; i++)
        {
            (string name, byte[] original) = corpus[random.Next(corpus.Count)];
            buffer.Clear();
            buffer.AddRange(original);
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++) Mutate(random, buffer);
            byte[] input = buffer.ToArray();
            try
            {
                if (ControlCodec.TryDecode(input, out ControlMessage? message, out ControlDecodeError error, out string? detail))
                {
                    Assert.NotNull(message);
                    decoded++;
                }
                else
                {
                    Assert.NotEqual(ControlDecodeError.None, error);
                    Assert.False(string.IsNullOrEmpty(detail));
                    rejected++;
                }
                // The bare reader over the same bytes: the library's (and Strict's) exceptions are the only allowed failures.
                try { Canonical.Value(input); }
                catch (Exception e) when (IsReaderFailure(e)) { }
                catch (InvalidOperationException) { } // trailing bytes or ext, both legal reader outcomes
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"mutation {i} of {name} ({Convert.ToHexStringLower(input)}) threw {ex}");
            }
        }
        return (decoded, rejected, stopwatch.Elapsed);
    }

    private static bool IsReaderFailure(Exception? e) => e is MessagePackSerializationException or EndOfStreamException or OverflowException;

    /// <summary>Bytes that make declared lengths and types interesting: format boundaries and all-ones.</summary>
    private static readonly byte[] Interesting = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc4, 0xc6, 0xca, 0xcf, 0xd3, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff];

    private static void Mutate(Random random, List<byte> b)
    {
        switch (random.Next(b.Count == 0 ? 1 : 6))
        {
            case 0: b.Insert(random.Next(b.Count + 1), (byte)random.Next(256)); break;
            case 1: b[random.Next(b.Count)] = (byte)random.Next(256); break;
            case 2: b[random.Next(b.Count)] ^= (byte)(1 << random.Next(8)); break;
            case 3: b[random.Next(b.Count)] = Interesting[random.Next(Interesting.Length)]; break;
            case 4: b.RemoveAt(random.Next(b.Count)); break;
            default:
                // Overwrite a run with 0xff: huge declared lengths and counts.
                int at = random.Next(b.Count);
                for (int k = at; k < Math.Min(b.Count, at + 1 + random.Next(4)); k++) b[k] = 0xff;
                break;
        }
    }
}
