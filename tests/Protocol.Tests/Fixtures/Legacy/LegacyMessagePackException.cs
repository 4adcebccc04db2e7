namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>
/// The only exception <see cref="LegacyMessagePackReader"/> and <see cref="LegacyMessagePackWriter"/> throw
/// for bad input: a typed <see cref="Error"/>, the byte <see cref="Offset"/> where it was found,
/// and a message naming both.
/// </summary>
internal sealed class LegacyMessagePackException : Exception
{
    public LegacyMessagePackException(LegacyMessagePackError error, int offset, string message)
        : base($"{message} (at offset {offset}: {error})")
    {
        Error = error;
        Offset = offset;
    }

    public LegacyMessagePackError Error { get; }

    /// <summary>Offset, from the start of the reader's buffer, of the value that failed.</summary>
    public int Offset { get; }
}
