namespace Replicator.Protocol.Bgp;

/// <summary>
/// The outcome of decoding one message: a message (possibly an UPDATE whose
/// <see cref="BgpUpdateMessage.AttributeError"/> asks for treat-as-withdraw), or an error that
/// resets the session with the NOTIFICATION <see cref="BgpDecodeErrors.ToNotification"/> names.
/// </summary>
public readonly record struct BgpDecodeResult(BgpMessage? Message, BgpDecodeError Error)
{
    public static BgpDecodeResult Ok(BgpMessage message) => new(message, BgpDecodeError.None);
    public static BgpDecodeResult Fail(BgpDecodeError error) => new(null, error);
}
