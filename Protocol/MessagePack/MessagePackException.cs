namespace Replicator.Protocol.MessagePack;

/// <summary>
/// The only exception <see cref="MessagePackReader"/> and <see cref="MessagePackWriter"/> throw
/// for bad input: a typed <see cref="Error"/>, the byte <see cref="Offset"/> where it was found,
/// and a message naming both.
/// </summary>
public sealed class MessagePackException : Exception
{
    public MessagePackException(MessagePackError error, int offset, string message)
        : base($"{message} (at offset {offset}: {error})")
    {
        Error = error;
        Offset = offset;
    }

    public MessagePackError Error { get; }

    /// <summary>Offset, from the start of the reader's buffer, of the value that failed.</summary>
    public int Offset { get; }
}
