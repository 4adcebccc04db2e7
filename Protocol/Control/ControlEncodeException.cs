namespace Replicator.Protocol.Control;

/// <summary>Thrown by the throwing <c>ControlCodec.Encode*</c> methods; the <c>TryEncode*</c> twins return <see cref="Error"/> instead.</summary>
public sealed class ControlEncodeException : Exception
{
    public ControlEncodeException(ControlEncodeError error, string message)
        : base($"{message} ({error})")
    {
        Error = error;
    }

    public ControlEncodeError Error { get; }
}
