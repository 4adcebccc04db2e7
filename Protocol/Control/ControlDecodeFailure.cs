namespace Replicator.Protocol.Control;

/// <summary>Internal signal from the body reader to <see cref="ControlCodec.TryDecode(ReadOnlySpan{byte}, out ControlMessage?, out ControlDecodeError, out string?)"/>; never escapes the codec.</summary>
internal sealed class ControlDecodeFailure(ControlDecodeError error, string detail) : Exception(detail)
{
    public ControlDecodeError Error { get; } = error;
}
