using System.Security.Cryptography;

namespace Replicator.TestSupport;

/// <summary>
/// Key files for tests that start real daemons: both refuse to start without <c>Authentication:KeyFile</c>
/// (or <c>Authentication:AllowUnauthenticated</c>). Written in the key-file format (docs/security.md "Key file")
/// by hand, so TestSupport needs no product reference.
/// </summary>
public static class TestKeyFile
{
    /// <summary>Writes one fresh random 32-byte key, id <paramref name="id"/>, primary, mode 0600, to <paramref name="directory"/>/<paramref name="name"/>; returns the path.</summary>
    public static string Write(string directory, string name = "keys", uint id = 1)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, $"{id} hex:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))} primary\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>True when <paramref name="arguments"/> already decide authentication (a key file or the opt-out).</summary>
    public static bool Decides(IEnumerable<string> arguments) =>
        arguments.Any(a => a.Contains(":Authentication:KeyFile=", StringComparison.Ordinal) || a.Contains(":Authentication:AllowUnauthenticated=", StringComparison.Ordinal));
}
