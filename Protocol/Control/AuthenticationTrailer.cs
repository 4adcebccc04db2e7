namespace Replicator.Protocol.Control;

/// <summary>
/// The fields of an authentication trailer other than the MAC (PROTOCOL.md, "Authentication
/// trailer"). A receiver uses the key id to pick the key, the timestamp to bound the message's
/// age, and the nonce (with the timestamp) to refuse replays.
/// </summary>
/// <param name="KeyId">Which shared key signed the message.</param>
/// <param name="TimestampUnixMilliseconds">Sender's clock at signing, milliseconds since 1970-01-01 UTC.</param>
/// <param name="Nonce">128 random bits, big-endian on the wire.</param>
public readonly record struct AuthenticationTrailer(uint KeyId, long TimestampUnixMilliseconds, UInt128 Nonce);
