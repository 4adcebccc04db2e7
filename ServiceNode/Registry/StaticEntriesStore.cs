using System.Text;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The static entries file. Written atomically (temporary file in the same directory, fsync,
/// rename over the old one), so a crash or power loss leaves either the old or the new set,
/// never a torn file.
/// </summary>
public sealed class StaticEntriesStore(string path)
{
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>Reads the file; a missing file is an empty set (first start).</summary>
    /// <exception cref="FormatException">A bad line, naming file and line.</exception>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    public IReadOnlyList<StaticEntry> Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        return StaticEntriesFormat.Parse(text, Path);
    }

    public void Save(IEnumerable<StaticEntry> entries)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        string temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(StaticEntriesFormat.Format(entries)));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
