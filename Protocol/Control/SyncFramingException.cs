namespace Replicator.Protocol.Control;

/// <summary>A broken sync stream; the connection should be closed and the transfer retried.</summary>
public sealed class SyncFramingException(SyncFramingError error, string message) : Exception($"{message} ({error})")
{
    public SyncFramingError Error { get; } = error;
}
