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
    public static int String(int utf8Length) => utf8Length + (utf8Length is >= 0 and <= 31 ? 1 : Header(utf8Length, 2));

    /// <summary>A bin of <paramref name="length"/> bytes, header included.</summary>
    public static int Binary(int length) => length + Header(length, 2);

    public static int ArrayHeader(int count) => count <= 15 ? Header(count, 1) : Header(count, 3);

    public static int MapHeader(int count) => ArrayHeader(count);

    // The 8-bit form costs `small` bytes; 16- and 32-bit lengths add a format byte to 2 and 4 bytes.
    private static int Header(int length, int small) => length switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(length)),
        <= byte.MaxValue => small,
        <= ushort.MaxValue => 3,
        _ => 5,
    };
}
