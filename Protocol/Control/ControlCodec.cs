using System.Diagnostics.CodeAnalysis;
using MessagePack;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Control;

/// <summary>
/// Entry point of the control protocol codec (PROTOCOL.md). Decoding never throws for bad
/// input: it returns a typed <see cref="ControlDecodeError"/>. Encoding validates the message
/// first; the throwing methods raise <see cref="ControlEncodeException"/>, the Try methods
/// return the <see cref="ControlEncodeError"/>.
/// </summary>
public static partial class ControlCodec
{
    /// <summary>Decodes one datagram (or one sync frame without its length prefix).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out ControlMessage? message, out ControlDecodeError error) =>
        TryDecode(datagram, out message, out error, out _);

    /// <summary>As <see cref="TryDecode(ReadOnlySpan{byte}, out ControlMessage?, out ControlDecodeError)"/>, plus a sentence saying what was wrong and where.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out ControlMessage? message, out ControlDecodeError error, out string? detail)
    {
        message = null;
        if (!ControlHeader.TryParse(datagram, out ControlHeader header, out error))
        {
            detail = error switch
            {
                ControlDecodeError.TooShort => $"{datagram.Length} bytes, header needs {ControlHeader.Size}",
                ControlDecodeError.BadMagic => $"magic 0x{datagram[0]:x2}{datagram[1]:x2}, expected 0x{ControlHeader.Magic:x4}",
                ControlDecodeError.UnsupportedVersion => $"version {datagram[2]}, supported {ControlHeader.CurrentVersion}",
                _ => $"type {datagram[3]} unknown",
            };
            return false;
        }
        int bodyEnd = datagram.Length;
        AuthenticationTrailer? trailer = null;
        if ((header.Flags & ControlFlags.AuthenticationTrailer) != 0)
        {
            if (!ControlAuthenticator.TryReadTrailer(datagram, out AuthenticationTrailer t))
            {
                error = ControlDecodeError.TooShort;
                detail = $"{datagram.Length} bytes, header and authentication trailer need {ControlHeader.Size + ControlAuthenticator.TrailerSize}";
                return false;
            }
            trailer = t;
            bodyEnd -= ControlAuthenticator.TrailerSize;
        }
        if (!TryReadBody(header.Type, datagram[ControlHeader.Size..bodyEnd], out message, out error, out detail)) return false;
        if (trailer is not null) message = message with { Authentication = trailer };
        error = ControlDecodeError.None;
        detail = null;
        return true;
    }

    private static unsafe bool TryReadBody(ControlMessageType type, ReadOnlySpan<byte> body, [NotNullWhen(true)] out ControlMessage? message, out ControlDecodeError error, out string? detail)
    {
        message = null;
        fixed (byte* pinned = body)
        {
            PinnedSpanMemory memory = PinnedSpanMemory.Lend(pinned, body.Length);
            var reader = new MessagePackReader(memory.Memory);
            try
            {
                message = type switch
                {
                    ControlMessageType.Register => ControlBodyReader.ReadRegister(ref reader),
                    ControlMessageType.PeerList => ControlBodyReader.ReadPeerList(ref reader),
                    _ => ControlBodyReader.ReadSync(ref reader),
                };
            }
            catch (ControlDecodeFailure e)
            {
                error = e.Error;
                detail = $"{type} body: {e.Message}";
                return false;
            }
            // Everything the library (and Strict) throws for bad input: wrong type, truncation, a value out of range.
            catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
            {
                error = ControlDecodeError.MalformedBody;
                string what = e is OverflowException ? "integer out of the field's range" : e.Message;
                detail = $"{type} body, near body offset {reader.Consumed} (the body starts at byte {ControlHeader.Size}): {what}";
                return false;
            }
            finally
            {
                memory.Return();
            }
            if (!reader.End)
            {
                error = ControlDecodeError.TrailingBytes;
                detail = $"{body.Length - reader.Consumed} bytes after the {type} body";
                message = null;
                return false;
            }
        }
        error = ControlDecodeError.None;
        detail = null;
        return true;
    }

    /// <summary>
    /// Encodes one message into one datagram, unsplit. With <paramref name="reserveAuthenticationTrailer"/>
    /// the flag is set and the last <see cref="ControlAuthenticator.TrailerSize"/> bytes are left zero
    /// for <see cref="ControlAuthenticator.Sign(Span{byte}, ReadOnlySpan{byte}, AuthenticationTrailer)"/>.
    /// </summary>
    /// <exception cref="ControlEncodeException">The message is invalid (VNI range, node id, ...).</exception>
    public static byte[] Encode(ControlMessage message, bool reserveAuthenticationTrailer = false)
    {
        if (!TryEncode(message, reserveAuthenticationTrailer, out byte[]? datagram, out ControlEncodeError error, out string detail))
        {
            throw new ControlEncodeException(error, detail);
        }
        return datagram;
    }

    public static bool TryEncode(ControlMessage message, bool reserveAuthenticationTrailer, [NotNullWhen(true)] out byte[]? datagram, out ControlEncodeError error) =>
        TryEncode(message, reserveAuthenticationTrailer, out datagram, out error, out _);

    private static bool TryEncode(ControlMessage message, bool reserveTrailer, [NotNullWhen(true)] out byte[]? datagram, out ControlEncodeError error, out string detail)
    {
        error = ControlValidator.Validate(message, checkCounts: true, out detail);
        if (error != ControlEncodeError.None)
        {
            datagram = null;
            return false;
        }
        datagram = ControlBodyWriter.WriteDatagram(message, reserveTrailer);
        return true;
    }
}
