
namespace Replicator.Hosting.Authentication;

/// <summary>Reads and parses a key file; the problem text names the path and line, never a key.</summary>
public static class AuthKeyFileReader
{
    public static bool TryRead(string path, out AuthKeyRing? ring, out string problem, out DateTime modified)
    {
        ring = null;
        modified = default;
        string text;
        try
        {
            modified = File.GetLastWriteTimeUtc(path);
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {path}: {ex.Message}";
            return false;
        }
        if (!AuthKeyFileFormat.TryParse(text, out ring, out AuthKeyFileProblem parse))
        {
            problem = $"{path}: {parse}";
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>True when group or others may read the file (keys should be private to the daemon).</summary>
    public static bool IsTooOpen(string path, out UnixFileMode mode)
    {
        mode = default;
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (IOException)
        {
            return false;
        }
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
    }
}
