namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>
/// Encoded sizes of the smallest encodings <see cref="LegacyMessagePackWriter"/> produces, so that
/// callers (datagram splitting) can plan a message without writing it.
/// </summary>
internal static class LegacyMessagePackSize
{
    public const int Nil = 1;
    public const int Boolean = 1;

    public static int UnsignedInteger(ulong value) => value switch
    {
        <= LegacyMessagePackCode.MaxPositiveFixInt => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    public static int SignedInteger(long value) => value switch
    {
        >= 0 => UnsignedInteger((ulong)value),
        >= -32 => 1,
        >= sbyte.MinValue => 2,
        >= short.MinValue => 3,
        >= int.MinValue => 5,
        _ => 9,
    };

    /// <summary>Size of a str with a UTF-8 payload of <paramref name="utf8Length"/> bytes, header included.</summary>
    public static int String(int utf8Length) => StringHeader(utf8Length) + utf8Length;

    public static int StringHeader(int utf8Length) => utf8Length switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(utf8Length)),
        <= 31 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    /// <summary>Size of a bin of <paramref name="length"/> bytes, header included.</summary>
    public static int Binary(int length) => BinaryHeader(length) + length;

    public static int BinaryHeader(int length) => length switch
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
