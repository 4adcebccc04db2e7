using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// The text format of a key file (option <c>Authentication:KeyFile</c> of both daemons):
/// <code>
/// # comment lines and blank lines are ignored; "#" also starts a comment after the fields
/// # ID   KEY                                             [primary]
/// 1      hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
/// 2      base64:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=   primary
/// </code>
/// Fields are separated by spaces or tabs. ID is decimal, 0..4294967295, unique in the file. KEY
/// is <c>hex:</c> (even number of hex digits, either case) or <c>base64:</c> (standard alphabet,
/// padded), 16..64 bytes once decoded. Exactly one key is marked <c>primary</c> (it signs); a file
/// with a single key may omit the mark. Every key verifies. Parsing is pure (the caller reads the
/// file), all-or-nothing, and no error message quotes the file's text.
/// </summary>
public static class AuthKeyFileFormat
{
    private const string HexPrefix = "hex:";
    private const string Base64Prefix = "base64:";
    private const string PrimaryMark = "primary";

    /// <exception cref="AuthKeyFileException">The text is not a valid key file.</exception>
    public static AuthKeyRing Parse(string text) =>
        TryParse(text, out AuthKeyRing? ring, out AuthKeyFileProblem problem) ? ring : throw new AuthKeyFileException(problem);

    public static bool TryParse(string text, [NotNullWhen(true)] out AuthKeyRing? ring, out AuthKeyFileProblem problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ring = null;
        var keys = new List<KeyValuePair<uint, byte[]>>();
        var lineOfId = new Dictionary<uint, int>();
        uint? primary = null;
        int primaryLine = 0;
        int lineNumber = 0;
        Span<Range> fields = stackalloc Range[4];
        foreach (ReadOnlySpan<char> rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            ReadOnlySpan<char> line = rawLine;
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            line = line.Trim(" \t\r");
            if (line.IsEmpty) continue;

            int count = SplitFields(line, fields);
            if (count is < 2 or > 3)
                return Fail(AuthKeyFileError.MalformedLine, lineNumber, $"expected \"ID KEY [primary]\", found {count} fields", out problem);
            if (!uint.TryParse(line[fields[0]], NumberStyles.None, CultureInfo.InvariantCulture, out uint id))
                return Fail(AuthKeyFileError.InvalidKeyId, lineNumber, "the key id must be a decimal number 0..4294967295", out problem);
            if (lineOfId.TryGetValue(id, out int firstLine))
                return Fail(AuthKeyFileError.DuplicateKeyId, lineNumber, $"key id {id} is already defined on line {firstLine}", out problem);
            if (!TryDecodeKey(line[fields[1]], out byte[]? key, out AuthKeyFileError keyError, out string keyMessage))
                return Fail(keyError, lineNumber, $"key {id}: {keyMessage}", out problem);
            if (count == 3)
            {
                if (!line[fields[2]].Equals(PrimaryMark, StringComparison.Ordinal))
                    return Fail(AuthKeyFileError.UnknownOption, lineNumber, $"key {id}: the third field may only be \"{PrimaryMark}\"", out problem);
                if (primary is not null)
                    return Fail(AuthKeyFileError.SeveralPrimaries, lineNumber, $"key {id} is marked primary, but key {primary} on line {primaryLine} already is", out problem);
                primary = id;
                primaryLine = lineNumber;
            }
            lineOfId.Add(id, lineNumber);
            keys.Add(new(id, key));
        }
        if (keys.Count == 0) return Fail(AuthKeyFileError.NoKeys, 0, "the key file holds no key", out problem);
        if (primary is null)
        {
            if (keys.Count > 1)
                return Fail(AuthKeyFileError.NoPrimary, 0, $"{keys.Count} keys and none marked \"{PrimaryMark}\"; mark the one to sign with", out problem);
            primary = keys[0].Key;
        }
        ring = new AuthKeyRing(keys, primary.Value);
        foreach (var (_, key) in keys) Array.Clear(key); // the ring holds its own copies
        problem = default;
        return true;
    }

    /// <summary>One line of a key file for <paramref name="key"/> in hex (key generation, tools, tests).</summary>
    public static string FormatLine(uint keyId, ReadOnlySpan<byte> key, bool primary) =>
        $"{keyId.ToString(CultureInfo.InvariantCulture)} {HexPrefix}{Convert.ToHexStringLower(key)}{(primary ? " " + PrimaryMark : "")}";

    private static int SplitFields(ReadOnlySpan<char> line, Span<Range> fields)
    {
        int count = 0;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            if (i == line.Length) break;
            int start = i;
            while (i < line.Length && line[i] is not (' ' or '\t')) i++;
            if (count == fields.Length) return count + 1; // too many; the exact number does not matter
            fields[count++] = new Range(start, i);
        }
        return count;
    }

    private static bool TryDecodeKey(ReadOnlySpan<char> field, [NotNullWhen(true)] out byte[]? key, out AuthKeyFileError error, out string message)
    {
        key = null;
        if (field.StartsWith(HexPrefix, StringComparison.Ordinal))
        {
            ReadOnlySpan<char> hex = field[HexPrefix.Length..];
            if (hex.Length % 2 != 0 || hex.ContainsAnyExcept("0123456789abcdefABCDEF"))
            {
                error = AuthKeyFileError.InvalidEncoding;
                message = "the hex key must be an even number of hex digits";
                return false;
            }
            key = Convert.FromHexString(hex);
        }
        else if (field.StartsWith(Base64Prefix, StringComparison.Ordinal))
        {
            ReadOnlySpan<char> b64 = field[Base64Prefix.Length..];
            byte[] buffer = new byte[b64.Length]; // base64 never decodes to more bytes than characters
            if (!Convert.TryFromBase64Chars(b64, buffer, out int written))
            {
                error = AuthKeyFileError.InvalidEncoding;
                message = "the base64 key does not decode (standard alphabet, with padding)";
                return false;
            }
            key = buffer[..written];
            Array.Clear(buffer);
        }
        else
        {
            error = AuthKeyFileError.UnknownEncoding;
            message = $"the key must start with \"{HexPrefix}\" or \"{Base64Prefix}\"";
            return false;
        }
        if (key.Length < AuthKeyRing.MinimumKeyBytes)
        {
            error = AuthKeyFileError.KeyTooShort;
            message = $"{key.Length} bytes, at least {AuthKeyRing.MinimumKeyBytes} required";
            Array.Clear(key);
            key = null;
            return false;
        }
        if (key.Length > AuthKeyRing.MaximumKeyBytes)
        {
            error = AuthKeyFileError.KeyTooLong;
            message = $"{key.Length} bytes, at most {AuthKeyRing.MaximumKeyBytes} allowed";
            Array.Clear(key);
            key = null;
            return false;
        }
        error = AuthKeyFileError.None;
        message = "";
        return true;
    }

    private static bool Fail(AuthKeyFileError error, int line, string message, out AuthKeyFileProblem problem)
    {
        problem = new AuthKeyFileProblem(error, line, message);
        return false;
    }
}
