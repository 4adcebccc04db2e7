namespace Replicator.Protocol.Control;

/// <summary>The flags byte of the control header. Undefined bits are written 0 and ignored on read.</summary>
[Flags]
public enum ControlFlags : byte
{
    None = 0,
    /// <summary>The last <see cref="ControlAuthenticator.TrailerSize"/> bytes are an authentication trailer.</summary>
    AuthenticationTrailer = 0x01,
}
