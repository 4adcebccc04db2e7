using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The static entries on disk: a snapshot file (<see cref="Path"/>, the format of
/// <see cref="StaticEntriesFormat"/>) plus an append-only journal of the changes since
/// (<see cref="JournalPath"/>, see <see cref="StaticEntriesJournal"/>). One add or delete appends
/// one fsync'd line; once the journal holds as many lines as the set has entries (at least
/// <see cref="MinCompactLines"/>) it is compacted in the background: the journal is renamed to
/// <see cref="CompactingPath"/> and a new one started, the snapshot is rewritten atomically
/// (temporary file, fsync, rename, fsync of the directory), then the renamed journal is deleted.
/// A kill at any point leaves a snapshot and journals that replay to the last acknowledged set.
/// Not thread-safe: every call but the background compaction comes from the registry loop.
/// </summary>
internal sealed partial class StaticEntriesStore(string path, ILogger<StaticEntriesStore>? logger = null) : IStaticEntriesPersistence, IDisposable
{
    /// <summary>Below this many journal lines a compaction is not worth its full rewrite.</summary>
    public const int MinCompactLines = 1024;

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly object _fileLock = new();
    private readonly HashSet<StaticEntry> _entries = new();
    private StaticEntriesJournal? _journal;
    private Task _compaction = Task.CompletedTask;
    private long _sinceCapture;
    private long _bytesWritten;

    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    public string JournalPath => Path + ".journal";

    /// <summary>A journal being folded into the snapshot; replayed before <see cref="JournalPath"/> if a kill left it.</summary>
    public string CompactingPath => Path + ".journal.compacting";

    private string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    private string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Lines the journal may hold before a compaction starts (the set's size, at least <see cref="MinCompactLines"/>).</summary>
    public int CompactThreshold { get; init; } = MinCompactLines;

    /// <summary>Bytes written to disk by adds, deletes and replacements, compactions excluded (a test's measure of their cost).</summary>
    public long BytesWritten => _bytesWritten + (_journal?.BytesWritten ?? 0);

    private int _compactions;

    /// <summary>Completed background compactions.</summary>
    public int Compactions => Volatile.Read(ref _compactions);

    /// <summary>Reads the snapshot and replays the journals; nothing on disk is an empty set (first start).</summary>
    /// <exception cref="FormatException">A bad line, naming file and line.</exception>
    /// <exception cref="IOException">A file exists but cannot be read.</exception>
    public StaticEntriesLoad LoadWithWarnings()
    {
        var entries = new HashSet<StaticEntry>();
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            text = "";
        }
        entries.UnionWith(StaticEntriesFormat.Parse(text, Path));
        var warnings = new List<string>();
        foreach (string journal in (ReadOnlySpan<string>)[CompactingPath, JournalPath])
        {
            if (StaticEntriesJournal.Replay(journal, entries) is { } warning) warnings.Add(warning);
        }
        return new StaticEntriesLoad([.. entries], warnings);
    }

    /// <summary><see cref="LoadWithWarnings"/> without the warnings.</summary>
    public IReadOnlyList<StaticEntry> Load() => LoadWithWarnings().Entries;

    /// <summary>
    /// Start of service, with the set just loaded: removes temporary files earlier runs left,
    /// folds any journal into a fresh snapshot, and opens a new journal.
    /// </summary>
    public void Open(IEnumerable<StaticEntry> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        RemoveLeftovers();
        _entries.Clear();
        _entries.UnionWith(current);
        if (File.Exists(JournalPath) || File.Exists(CompactingPath)) Compact([.. _entries], rotate: false);
        OpenJournal();
    }

    public void Add(StaticEntry entry)
    {
        Journal().Append(added: true, entry);
        _entries.Add(entry);
        AfterChange();
    }

    public void Remove(StaticEntry entry)
    {
        Journal().Append(added: false, entry);
        _entries.Remove(entry);
        AfterChange();
    }

    public void ReplaceAll(IReadOnlyCollection<StaticEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        WaitForCompaction();
        var next = entries as StaticEntry[] ?? [.. entries];
        _bytesWritten += Compact(next, rotate: false);
        _entries.Clear();
        _entries.UnionWith(next);
        _journal?.Dispose();
        _journal = null;
        OpenJournal();
    }

    /// <summary>Writes the whole set as the snapshot (atomically) and discards the journals: <c>fdb load</c>'s path, and tests'.</summary>
    public void Save(IEnumerable<StaticEntry> entries) => Compact([.. entries], rotate: false);

    /// <summary>Clean shutdown: waits for a background compaction, then folds the journal into the snapshot.</summary>
    public void Close()
    {
        WaitForCompaction();
        if (_journal is null) return;
        _journal.Dispose();
        _journal = null;
        try
        {
            Compact([.. _entries], rotate: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The journal is still there and is replayed at the next start.
            Log.CompactionFailed(_logger, Path, ex);
        }
    }

    public void Dispose()
    {
        WaitForCompaction();
        _journal?.Dispose();
        _journal = null;
    }

    /// <summary>Waits for the background compaction in progress, if any (tests, and before a replacement).</summary>
    public void WaitForCompaction()
    {
        try
        {
            _compaction.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already logged by the compaction itself.
        }
    }

    /// <summary>
    /// Proves the directory can take our writes: creates it if needed, then creates, fsyncs and
    /// deletes a temporary file the way a compaction does. Null when it can, else what failed.
    /// </summary>
    public string? CheckWritable()
    {
        string temporary = TemporaryPath();
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }
            File.Delete(temporary);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ErrnoText(ex);
        }
    }

    /// <summary>The errno text of a failed file operation ("Read-only file system", "Permission denied").</summary>
    internal static string ErrnoText(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            // .NET on Linux puts the errno in HResult of the IOException it builds from one.
            if (e is IOException && e.HResult is > 0 and < 4096) return System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(e.HResult);
        }
        return ex.Message;
    }

    private StaticEntriesJournal Journal() => _journal ?? throw new InvalidOperationException("the static entries store is not open");

    private void OpenJournal()
    {
        System.IO.Directory.CreateDirectory(Directory);
        bool existed = File.Exists(JournalPath);
        _journal = StaticEntriesJournal.Open(JournalPath);
        if (!existed) SyncDirectory();
    }

    private void AfterChange()
    {
        _sinceCapture++;
        if (_sinceCapture < Math.Max(CompactThreshold, _entries.Count) || !_compaction.IsCompleted) return;
        // Copying the set here costs O(n) once per n changes at least: O(1) per change on average.
        var captured = _entries.ToArray();
        _sinceCapture = 0;
        bool rotate = !File.Exists(CompactingPath);
        if (rotate)
        {
            _journal!.Dispose();
            _journal = null;
            try
            {
                File.Move(JournalPath, CompactingPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The change that got here is in the journal already: it must not be reported as failed.
                // The journal stays where it was and is compacted next time.
                Log.CompactionFailed(_logger, Path, ex);
                OpenJournal();
                return;
            }
            OpenJournal();
        }
        _compaction = Task.Run(() =>
        {
            try
            {
                Compact(captured, rotate: true);
                Interlocked.Increment(ref _compactions);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing is lost: the renamed journal stays and is folded in by the next compaction or start.
                Log.CompactionFailed(_logger, Path, ex);
                throw;
            }
        });
    }

    /// <summary>
    /// Writes <paramref name="entries"/> as the snapshot, then deletes the compacting journal and,
    /// unless <paramref name="rotate"/> (a background compaction, whose journal has moved on),
    /// the journal too. Returns the bytes written.
    /// </summary>
    private long Compact(StaticEntry[] entries, bool rotate)
    {
        lock (_fileLock)
        {
            System.IO.Directory.CreateDirectory(Directory);
            string temporary = TemporaryPath();
            byte[] bytes = Encoding.UTF8.GetBytes(StaticEntriesFormat.Format(entries));
            try
            {
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    stream.Write(bytes);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temporary, Path, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
            SyncDirectory();
            // The snapshot holds everything both journals say; replaying them again would change
            // nothing, so a kill before these deletes is harmless.
            File.Delete(CompactingPath);
            if (!rotate) File.Delete(JournalPath);
            SyncDirectory();
            return bytes.Length;
        }
    }

    private void SyncDirectory()
    {
        var errno = LibC.SyncDirectory(Directory);
        if (errno != Errno.SUCCESS) throw new IOException($"fsync of {Directory} failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)errno)}");
    }

    private string TemporaryPath() => System.IO.Path.Combine(Directory, $".{FileName}.{Environment.ProcessId}.tmp");

    /// <summary>Deletes <c>.NAME.PID.tmp</c> files of processes that no longer run (a kill mid-write); nothing else.</summary>
    private void RemoveLeftovers()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        string prefix = $".{FileName}.";
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, prefix + "*.tmp"))
        {
            string middle = System.IO.Path.GetFileName(file)[prefix.Length..^".tmp".Length];
            if (!int.TryParse(middle, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid != Environment.ProcessId && System.IO.Directory.Exists($"/proc/{pid}")) continue;
            File.Delete(file);
            Log.LeftoverRemoved(_logger, file);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = ServiceNodeEventIds.StaticEntriesCompactionFailed, Level = LogLevel.Warning,
            Message = "Could not compact the static entries journal into {Path}; the journal is kept and replayed at start")]
        public static partial void CompactionFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = ServiceNodeEventIds.StaticEntriesLeftoverRemoved, Level = LogLevel.Information,
            Message = "Removed {File}, a temporary file left by an earlier run")]
        public static partial void LeftoverRemoved(ILogger logger, string file);
    }
}

/// <summary>The static entries read at start, and what was ignored on the way (a torn last journal line).</summary>
internal sealed record StaticEntriesLoad(IReadOnlyList<StaticEntry> Entries, IReadOnlyList<string> Warnings);
