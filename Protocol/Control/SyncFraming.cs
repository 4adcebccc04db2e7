using System.Buffers.Binary;

namespace Replicator.Protocol.Control;

/// <summary>
/// Frames control messages (normally <see cref="SyncMessage"/>) on a byte stream (TCP): each frame
/// is a 4-byte big-endian unsigned length followed by that many bytes of one control message
/// (header, body, optional trailer). The length is checked against the reader's maximum before
/// any buffer is allocated.
/// </summary>
public static class SyncFraming
{
    public const int PrefixSize = 4;

    /// <summary>Writes one frame: prefix and message in a single write.</summary>
    public static async ValueTask WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Frame(message.Span), cancellationToken).ConfigureAwait(false);
    }

    public static void WriteFrame(Stream stream, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Frame(message));
    }

    /// <summary>
    /// Reads one frame's message, or null when the stream ends cleanly before a new frame.
    /// </summary>
    /// <exception cref="SyncFramingException">Truncated stream or a length outside 5..<paramref name="maxFrameBytes"/>.</exception>
    public static async ValueTask<byte[]?> ReadFrameAsync(Stream stream, int maxFrameBytes = ControlLimits.DefaultMaxSyncFrameBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] prefix = new byte[PrefixSize];
        int got = await stream.ReadAtLeastAsync(prefix, PrefixSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < PrefixSize) throw new SyncFramingException(SyncFramingError.Truncated, $"stream ended after {got} of {PrefixSize} length-prefix bytes");
        byte[] message = new byte[CheckLength(BinaryPrimitives.ReadUInt32BigEndian(prefix), maxFrameBytes)];
        got = await stream.ReadAtLeastAsync(message, message.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < message.Length) throw new SyncFramingException(SyncFramingError.Truncated, $"stream ended after {got} of {message.Length} frame bytes");
        return message;
    }

    public static byte[]? ReadFrame(Stream stream, int maxFrameBytes = ControlLimits.DefaultMaxSyncFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[PrefixSize];
        int got = stream.ReadAtLeast(prefix, PrefixSize, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < PrefixSize) throw new SyncFramingException(SyncFramingError.Truncated, $"stream ended after {got} of {PrefixSize} length-prefix bytes");
        byte[] message = new byte[CheckLength(BinaryPrimitives.ReadUInt32BigEndian(prefix), maxFrameBytes)];
        got = stream.ReadAtLeast(message, message.Length, throwOnEndOfStream: false);
        if (got < message.Length) throw new SyncFramingException(SyncFramingError.Truncated, $"stream ended after {got} of {message.Length} frame bytes");
        return message;
    }

    private static int CheckLength(uint length, int maxFrameBytes)
    {
        if (length > (uint)Math.Max(maxFrameBytes, 0))
        {
            throw new SyncFramingException(SyncFramingError.FrameTooLarge, $"frame of {length} bytes announced, maximum {maxFrameBytes}");
        }
        if (length < ControlHeader.Size)
        {
            throw new SyncFramingException(SyncFramingError.FrameTooSmall, $"frame of {length} bytes announced, a control header alone is {ControlHeader.Size}");
        }
        return (int)length;
    }

    private static byte[] Frame(ReadOnlySpan<byte> message)
    {
        byte[] frame = new byte[PrefixSize + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)message.Length);
        message.CopyTo(frame.AsSpan(PrefixSize));
        return frame;
    }
}
