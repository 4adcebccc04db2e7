using System.Globalization;
using System.Text;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The append-only journal beside the static entries file: one <c>+ VNI ADDRESS</c> or
/// <c>- VNI ADDRESS</c> line per change, each written with one write(2) and fsync'd before the
/// change is applied, so an <c>fdb add</c> costs one short line whatever the size of the set.
/// Replaying a journal over a snapshot that already holds some of its changes gives the same set
/// (the last change of each entry wins), which is what makes compaction crash-safe.
/// </summary>
internal sealed class StaticEntriesJournal : IDisposable
{
    private readonly FileStream _stream;
    private long _length;

    private StaticEntriesJournal(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        _length = stream.Length;
    }

    public string Path { get; }

    /// <summary>Lines appended since this journal was opened.</summary>
    public long Lines { get; private set; }

    /// <summary>Bytes appended since this journal was opened (a test's measure of the cost of one change).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Opens (creating it if needed) <paramref name="path"/> for appending.</summary>
    public static StaticEntriesJournal Open(string path) =>
        new(path, new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0));

    /// <summary>Appends one change and fsyncs it.</summary>
    /// <exception cref="IOException">The line may not be on disk; the next append overwrites whatever part of it was written.</exception>
    public void Append(bool added, StaticEntry entry)
    {
        byte[] line = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(added ? '+' : '-')} {entry.Vni} {entry.Address}\n"));
        try
        {
            // Written at the end of the last good line, not at the end of the file: a line that
            // failed half-way is overwritten rather than glued to the next one.
            _stream.Position = _length;
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            TryTruncate();
            throw;
        }
        _length += line.Length;
        Lines++;
        BytesWritten += line.Length;
    }

    private void TryTruncate()
    {
        try
        {
            _stream.SetLength(_length);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Replays the journal at <paramref name="path"/> (missing = empty) onto <paramref name="entries"/>.
    /// A last line without its newline is the mark of a kill in the middle of a write: it is
    /// ignored and described in the returned warning. Any other bad line throws.
    /// </summary>
    /// <exception cref="FormatException">"PATH:LINE: what is wrong".</exception>
    public static string? Replay(string path, HashSet<StaticEntry> entries)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        int end = text.LastIndexOf('\n') + 1;
        string? warning = end < text.Length
            ? $"{path}: ignored an incomplete last line ({text.Length - end} bytes), left by a kill during a write"
            : null;
        var lines = text[..end].Split('\n');
        var ops = new List<bool>(lines.Length);
        var stripped = new StringBuilder(end);
        for (int i = 0; i < lines.Length - 1; i++)
        {
            string line = lines[i];
            if (line.Length < 3 || line[0] is not ('+' or '-') || line[1] != ' ' || string.IsNullOrWhiteSpace(line[2..]) || line[2..].TrimStart().StartsWith('#'))
                throw new FormatException($"{path}:{i + 1}: expected '+ VNI ADDRESS' or '- VNI ADDRESS', got '{line}'");
            ops.Add(line[0] == '+');
            stripped.Append(line, 2, line.Length - 2).Append('\n');
        }
        // The entry itself is read exactly as a line of the static entries file.
        var parsed = StaticEntriesFormat.Parse(stripped.ToString(), path);
        for (int i = 0; i < parsed.Count; i++)
        {
            if (ops[i]) entries.Add(parsed[i]);
            else entries.Remove(parsed[i]);
        }
        return warning;
    }
}
