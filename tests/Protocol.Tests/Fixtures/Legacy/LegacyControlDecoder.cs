using System.Diagnostics.CodeAnalysis;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>
/// The control decoder as it was before MessagePack-CSharp (our own reader, this folder): kept only
/// as the reference of the differential test, which asserts that the library-based decoder makes the
/// same decision and the same message for the same bytes. Not compiled into production.
/// </summary>
internal static class LegacyControlDecoder
{
    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out ControlMessage? message, out ControlDecodeError error)
    {
        message = null;
        if (!ControlHeader.TryParse(datagram, out ControlHeader header, out error)) return false;
        int bodyEnd = datagram.Length;
        AuthenticationTrailer? trailer = null;
        if ((header.Flags & ControlFlags.AuthenticationTrailer) != 0)
        {
            if (!ControlAuthenticator.TryReadTrailer(datagram, out AuthenticationTrailer t))
            {
                error = ControlDecodeError.TooShort;
                return false;
            }
            trailer = t;
            bodyEnd -= ControlAuthenticator.TrailerSize;
        }
        var reader = new LegacyMessagePackReader(datagram[ControlHeader.Size..bodyEnd]);
        try
        {
            message = header.Type switch
            {
                ControlMessageType.Register => LegacyControlBodyReader.ReadRegister(ref reader),
                ControlMessageType.PeerList => LegacyControlBodyReader.ReadPeerList(ref reader),
                _ => LegacyControlBodyReader.ReadSync(ref reader),
            };
        }
        catch (LegacyMessagePackException)
        {
            error = ControlDecodeError.MalformedBody;
            return false;
        }
        catch (ControlDecodeFailure e)
        {
            error = e.Error;
            return false;
        }
        if (!reader.End)
        {
            error = ControlDecodeError.TrailingBytes;
            message = null;
            return false;
        }
        if (trailer is not null) message = message with { Authentication = trailer };
        error = ControlDecodeError.None;
        return true;
    }
}
