using System.Net.Sockets;

namespace Replicator.Hosting.Management;

/// <summary>Life cycle of a unix socket's file: stale files from a crashed daemon are removed, live ones are refused.</summary>
public static class UnixSocketFile
{
    /// <summary>Permissions of the management socket: owner and group may connect (rw), others not.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>
    /// Makes <paramref name="path"/> free to listen on. Returns true when a stale socket file
    /// (nobody accepting) was removed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A daemon is listening on it, or it is not a socket.</exception>
    public static bool PrepareForListen(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);

        if (Directory.Exists(path))
            throw new InvalidOperationException($"management socket path {path} is a directory");
        if (!File.Exists(path)) return false;
        if (!IsSocket(path))
            throw new InvalidOperationException($"management socket path {path} exists and is not a socket");

        if (IsListening(path))
            throw new InvalidOperationException($"management socket {path} is in use: another daemon is running");
        File.Delete(path);
        return true;
    }

    /// <summary>Deletes the socket file if present; errors are ignored (shutdown must not fail over it).</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>True when something accepts connections on the socket.</summary>
    public static bool IsListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsSocket(string path)
    {
        // .NET has no file-type query for sockets, and connecting to a non-socket fails just like
        // connecting to a stale socket; but open(2) on a socket fails (ENXIO) where a regular file opens.
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            return false;
        }
        catch (IOException)
        {
            return true; // ENXIO: opening a socket file fails
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
