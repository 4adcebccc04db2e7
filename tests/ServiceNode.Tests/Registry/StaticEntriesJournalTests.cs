using System.Diagnostics;
using Replicator.ServiceNode.Registry;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class StaticEntriesJournalTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("static-journal").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File_ => Path.Combine(_dir, "static-entries");

    private static StaticEntry E(uint vni, string address)
    {
        Assert.True(VtepAddress.TryParse(address, out var a));
        return new StaticEntry(vni, a);
    }

    /// <summary>Entry number <paramref name="i"/> of a large set: distinct addresses in 198.51.100.0/24 x VNIs.</summary>
    private static StaticEntry Numbered(int i) => E((uint)(i / 250 + 1), $"198.51.100.{i % 250 + 1}");

    [Fact]
    public void AddRemove_ThenReload_ReplaysJournalOverSnapshot()
    {
        using (var store = new StaticEntriesStore(File_))
        {
            store.Save([E(1, "192.0.2.1"), E(2, "192.0.2.2")]);
            store.Open(store.Load());
            store.Add(E(3, "2001:db8::3"));
            store.Remove(E(1, "192.0.2.1"));
            store.Add(E(1, "192.0.2.1"));
            store.Remove(E(2, "192.0.2.2"));
        }
        Assert.True(File.Exists(File_ + ".journal"));
        Assert.Equal([E(1, "192.0.2.1"), E(3, "2001:db8::3")], new StaticEntriesStore(File_).Load().OrderBy(e => e.Vni));
    }

    [Fact]
    public void Close_FoldsJournalIntoSnapshot()
    {
        var store = new StaticEntriesStore(File_);
        store.Open([]);
        store.Add(E(7, "192.0.2.7"));
        store.Close();
        Assert.False(File.Exists(File_ + ".journal"));
        Assert.Contains("7 192.0.2.7\n", File.ReadAllText(File_));
        Assert.Equal(["static-entries"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_TornLastJournalLine_IgnoredWithWarning()
    {
        File.WriteAllText(File_, "1 192.0.2.1\n");
        File.WriteAllText(File_ + ".journal", "+ 2 192.0.2.2\n+ 3 192.0");
        var load = new StaticEntriesStore(File_).LoadWithWarnings();
        Assert.Equal([E(1, "192.0.2.1"), E(2, "192.0.2.2")], load.Entries.OrderBy(e => e.Vni));
        var warning = Assert.Single(load.Warnings);
        Assert.Contains("incomplete last line (9 bytes)", warning);
        output.WriteLine(warning);
    }

    [Fact]
    public void Open_AfterTornLine_NextAppendStartsOnItsOwnLine()
    {
        File.WriteAllText(File_ + ".journal", "+ 2 192.0.2.2\n+ 3 192.0");
        using (var store = new StaticEntriesStore(File_))
        {
            store.Open(store.Load());
            store.Add(E(4, "192.0.2.4"));
        }
        var load = new StaticEntriesStore(File_).LoadWithWarnings();
        Assert.Empty(load.Warnings);
        Assert.Equal([E(2, "192.0.2.2"), E(4, "192.0.2.4")], load.Entries.OrderBy(e => e.Vni));
    }

    [Theory]
    [InlineData("+ 2 192.0.2.2\n* 3 192.0.2.3\n", ":2: expected '+ VNI ADDRESS'")]
    [InlineData("+ 2 192.0.2.2\n+ x 192.0.2.3\n", ":2: 'x' is not a VNI")]
    [InlineData("+ 2 192.0.2.2\n+\n", ":2: expected")]
    public void Load_BadCompleteJournalLine_ThrowsNamingJournalAndLine(string journal, string expected)
    {
        File.WriteAllText(File_ + ".journal", journal);
        var ex = Assert.Throws<FormatException>(() => new StaticEntriesStore(File_).Load());
        Assert.StartsWith(File_ + ".journal:", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Load_CompactingJournalLeftByKill_ReplayedBeforeJournal()
    {
        // A kill between the rename of the journal and the end of the compaction.
        File.WriteAllText(File_, "1 192.0.2.1\n");
        File.WriteAllText(File_ + ".journal.compacting", "+ 2 192.0.2.2\n- 1 192.0.2.1\n");
        File.WriteAllText(File_ + ".journal", "+ 1 192.0.2.1\n- 2 192.0.2.2\n+ 3 192.0.2.3\n");
        Assert.Equal([E(1, "192.0.2.1"), E(3, "192.0.2.3")], new StaticEntriesStore(File_).Load().OrderBy(e => e.Vni));

        // A kill after the new snapshot was renamed in but before the journals were deleted: replaying them again changes nothing.
        File.WriteAllText(File_, "2 192.0.2.2\n");
        Assert.Equal([E(1, "192.0.2.1"), E(3, "192.0.2.3")], new StaticEntriesStore(File_).Load().OrderBy(e => e.Vni));
    }

    [Fact]
    public void Open_LeftoverTemporaryFiles_RemovedOnlyOurs()
    {
        File.WriteAllText(Path.Combine(_dir, ".static-entries.999999999.tmp"), "");
        File.WriteAllText(Path.Combine(_dir, $".static-entries.{Environment.ProcessId}.tmp"), "");
        File.WriteAllText(Path.Combine(_dir, ".static-entries.abc.tmp"), "");
        File.WriteAllText(Path.Combine(_dir, ".other.1.tmp"), "");
        using var store = new StaticEntriesStore(File_);
        store.Open([]);
        Assert.Equal([".other.1.tmp", ".static-entries.abc.tmp", "static-entries.journal"],
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Add_JournalPastThreshold_CompactsInBackgroundAndKeepsEverything()
    {
        var expected = new HashSet<StaticEntry>();
        int changes = 0;
        using (var store = new StaticEntriesStore(File_) { CompactThreshold = 100 })
        {
            store.Open([]);
            for (int i = 0; i < 1000; i++)
            {
                store.Add(Numbered(i));
                expected.Add(Numbered(i));
                changes++;
                if (i % 3 == 0)
                {
                    store.Remove(Numbered(i / 2));
                    expected.Remove(Numbered(i / 2));
                    changes++;
                }
            }
            store.WaitForCompaction();
            Assert.InRange(store.Compactions, 1, 1000);
            // Only the changes since the last compaction began are left (how many depends on when it ran).
            int lines = File.ReadAllLines(File_ + ".journal").Length;
            Assert.True(lines < changes, $"the journal was not truncated by compactions: {lines} lines for {changes} changes");
            Assert.True(expected.SetEquals(new StaticEntriesStore(File_).Load()), "files replay to the set while running");
        }
        Assert.True(expected.SetEquals(new StaticEntriesStore(File_).Load()));
    }

    [Fact]
    public void Add_CostDoesNotGrowWithTheSet()
    {
        // Bytes written and time of one add at 1,000 and at 100,000 entries, in the same run.
        using var store = new StaticEntriesStore(File_);
        store.ReplaceAll([.. Enumerable.Range(0, 1000).Select(Numbered)]);
        var (smallBytes, smallTime) = Measure(store, 1000);
        store.ReplaceAll([.. Enumerable.Range(0, 100_000).Select(Numbered)]);
        var (largeBytes, largeTime) = Measure(store, 100_000);
        output.WriteLine($"one add at 1,000 entries: {smallBytes} bytes, {smallTime.TotalMilliseconds:F2} ms; at 100,000: {largeBytes} bytes, {largeTime.TotalMilliseconds:F2} ms");
        Assert.InRange(smallBytes, 1, 64);
        Assert.InRange(largeBytes, 1, 64);
        // Generous: the same fsync of one line either way; a rewrite of 100,000 entries (~2 MB) would be far slower.
        Assert.True(largeTime < smallTime * 10 + TimeSpan.FromMilliseconds(20), $"{largeTime} vs {smallTime}");
    }

    /// <summary>Median over 21 adds of new entries (beyond <paramref name="from"/>) of the bytes and time one add costs.</summary>
    private static (long Bytes, TimeSpan Time) Measure(StaticEntriesStore store, int from)
    {
        var times = new List<TimeSpan>();
        long bytes = 0;
        for (int i = 0; i < 21; i++)
        {
            long before = store.BytesWritten;
            var clock = Stopwatch.StartNew();
            store.Add(Numbered(from + 200_000 + i));
            times.Add(clock.Elapsed);
            bytes = store.BytesWritten - before;
        }
        return (bytes, times.Order().ElementAt(times.Count / 2));
    }

    [Fact]
    public void CheckWritable_WritableDirectory_NullAndNoFileLeft()
    {
        var store = new StaticEntriesStore(Path.Combine(_dir, "sub", "static-entries"));
        Assert.Null(store.CheckWritable());
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "sub")));
    }

    [Fact]
    public void CheckWritable_PathUnderAFile_ErrnoText()
    {
        File.WriteAllText(Path.Combine(_dir, "plain"), "");
        string? error = new StaticEntriesStore(Path.Combine(_dir, "plain", "static-entries")).CheckWritable();
        output.WriteLine(error);
        Assert.NotNull(error);
    }
}
