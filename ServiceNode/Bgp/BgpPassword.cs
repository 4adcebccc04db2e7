using System.Diagnostics.CodeAnalysis;
using System.Text;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Bgp;

/// <summary>The TCP-MD5 key file: its first line (trailing newline and spaces removed), 1-80 bytes, kept out of the configuration itself.</summary>
internal static class BgpPassword
{
    public static bool TryRead(string path, [NotNullWhen(true)] out byte[]? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"cannot read: {ex.Message}";
            return false;
        }
        string line = text.Split('\n', 2)[0].TrimEnd('\r', ' ', '\t');
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        if (bytes.Length is 0 or > tcp_md5sig.TCP_MD5SIG_MAXKEYLEN)
        {
            error = $"the key (first line) is {bytes.Length} bytes; TCP-MD5 takes 1-{tcp_md5sig.TCP_MD5SIG_MAXKEYLEN}";
            return false;
        }
        key = bytes;
        error = null;
        return true;
    }
}
