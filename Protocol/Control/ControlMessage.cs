namespace Replicator.Protocol.Control;

/// <summary>A decoded or to-be-encoded control message; see PROTOCOL.md.</summary>
public abstract record ControlMessage
{
    private protected ControlMessage()
    {
    }

    public abstract ControlMessageType Type { get; }

    /// <summary>
    /// The trailer fields when the message arrived with one (set by the decoder; ignored by the
    /// encoder, which only reserves room for the trailer). Its MAC is checked with
    /// <see cref="ControlAuthenticator.Verify"/> on the raw bytes, not here.
    /// </summary>
    public AuthenticationTrailer? Authentication { get; init; }
}
