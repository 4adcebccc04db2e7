namespace Replicator.Protocol.MessagePack;

/// <summary>
/// Encoded sizes of the smallest encodings (those MessagePack-CSharp's <c>Write</c> overloads
/// produce), so that datagram splitting can plan a message without writing it.
/// </summary>
public static class MessagePackSize
{
    public static int UnsignedInteger(ulong value) => value switch
    {
        <= 0x7f => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    /// <summary>A str with a UTF-8 payload of <paramref name="utf8Length"/> bytes, header included.</summary>
    public static int String(int utf8Length) => utf8Length + utf8Length switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(utf8Length)),
        <= 31 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    /// <summary>A bin of <paramref name="length"/> bytes, header included.</summary>
    public static int Binary(int length) => length + length switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(length)),
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    public static int ArrayHeader(int count) => CollectionHeader(count);

    public static int MapHeader(int count) => CollectionHeader(count);

    private static int CollectionHeader(int count) => count switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(count)),
        <= 15 => 1,
        <= ushort.MaxValue => 3,
        _ => 5,
    };
}
