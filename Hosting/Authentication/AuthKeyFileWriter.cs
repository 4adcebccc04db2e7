using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// Writes a new key file (<c>keygen</c>): one random key in <c>AuthKeyFileFormat</c>, marked
/// primary, in a file that is mode 0600 from the moment it exists and appears whole or not at all.
/// </summary>
public static class AuthKeyFileWriter
{
    /// <summary>Where the example configurations look for the key file.</summary>
    public const string DefaultPath = "/etc/replicator/keys";

    /// <summary>256 bits: HMAC-SHA-256's block-independent security level; the format accepts 16-64.</summary>
    public const int KeyBytes = 32;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The text of a new key file holding one fresh random key with id <paramref name="keyId"/>, marked primary.</summary>
    public static string NewKeyFileText(uint keyId, string tool, DateTimeOffset now)
    {
        byte[] key = AuthKeyRing.GenerateKey(KeyBytes);
        try
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"# Replicator control-message keys, written by '{tool} keygen' at {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.\n");
            text.Append("# The same file goes to every vxsnd and vxrd (Authentication:KeyFile); keep it mode 0600. Format: docs/security.md \"Key file\".\n");
            text.Append("# ID  KEY  [primary]\n");
            text.Append(AuthKeyFileFormat.FormatLine(keyId, key, primary: true)).Append('\n');
            return text.ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/>: a temporary file in the same
    /// directory, created exclusively (O_EXCL) with mode 0600, synced, then renamed into place, so
    /// the key is never readable by others, not even briefly, and never half written. Refuses an
    /// existing file unless <paramref name="overwrite"/>, and a missing directory (never created
    /// silently: its owner and mode are the operator's choice).
    /// </summary>
    public static bool TryWrite(string path, string text, bool overwrite, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(path)) { problem = "no file name given"; return false; }
        if (OperatingSystem.IsWindows()) { problem = "keygen needs Unix file modes"; return false; }
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (directory is null || Directory.Exists(full))
        {
            problem = $"{full} is a directory, not a file name";
            return false;
        }
        if (!Directory.Exists(directory))
        {
            problem = $"cannot write {full}: directory {directory} does not exist (create it first, e.g. install -d -m 0755 {directory})";
            return false;
        }
        if (!overwrite && File.Exists(full))
        {
            problem = $"{full} already exists; a new key would lock out every node still using the old one. Use --force to replace it";
            return false;
        }
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = OwnerOnly,
            };
            using (var stream = new FileStream(temporary, options))
            {
                // The umask can only narrow the create mode; set it exactly before the key goes in.
                File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
                stream.Write(Encoding.ASCII.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite);
            problem = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            problem = $"cannot write {full}: {ex.Message}";
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the message about the write is what matters.
        }
    }
}
