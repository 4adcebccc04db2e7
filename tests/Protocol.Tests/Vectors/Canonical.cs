using System.Buffers.Binary;
using System.Text;
using MessagePack;
using Replicator.Protocol.Control;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Tests.Vectors;

/// <summary>
/// The canonical text of msgpack_interop.py, produced with our reader (MessagePack-CSharp's
/// reader under <see cref="Strict"/>), so that both
/// implementations' readings of the same bytes can be compared as strings.
/// </summary>
internal static class Canonical
{
    public static string Value(ReadOnlySpan<byte> bytes)
    {
        var reader = new MessagePackReader(bytes.ToArray());
        var sb = new StringBuilder();
        Append(ref reader, sb);
        if (!reader.End) throw new InvalidOperationException($"{bytes.Length - reader.Consumed} trailing bytes");
        return sb.ToString();
    }

    /// <summary>Same format as the script's decode-control (trailer MAC checked with the example key).</summary>
    public static string Control(ReadOnlySpan<byte> datagram)
    {
        int end = datagram.Length;
        string suffix = "";
        if ((datagram[4] & 1) != 0)
        {
            end -= ControlAuthenticator.TrailerSize;
            Assert.True(ControlAuthenticator.TryReadTrailer(datagram, out AuthenticationTrailer t));
            Span<byte> nonce = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(nonce, t.Nonce);
            bool ok = ControlAuthenticator.Verify(datagram, ExampleKey);
            suffix = $" trailer={t.KeyId},{t.TimestampUnixMilliseconds},{Convert.ToHexStringLower(nonce)} mac={(ok ? "ok" : "bad")}";
        }
        return $"type={datagram[3]} flags={datagram[4]} body={Value(datagram[ControlHeader.Size..end])}{suffix}";
    }

    /// <summary>The key of the signed example vectors (also in msgpack_interop.py and PROTOCOL.md).</summary>
    public static byte[] ExampleKey => "replicator-example-key-000000001"u8.ToArray();

    private static void Append(ref MessagePackReader r, StringBuilder sb)
    {
        switch (r.NextMessagePackType)
        {
            case MessagePackType.Nil: r.ReadNil(); sb.Append("nil"); break;
            case MessagePackType.Boolean: sb.Append(r.ReadBoolean() ? "true" : "false"); break;
            case MessagePackType.Integer:
                // Only uint64 may exceed the int64 range.
                if (r.NextCode == MessagePackCode.UInt64) sb.Append(r.ReadUInt64());
                else sb.Append(r.ReadInt64());
                break;
            case MessagePackType.Float:
                Span<byte> f = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(f, r.ReadDouble());
                sb.Append("f'").Append(Convert.ToHexStringLower(f)).Append('\'');
                break;
            case MessagePackType.String:
                ReadOnlySpan<byte> utf8 = r.StrictString();
                string s = Encoding.UTF8.GetString(utf8);
                bool plain = true;
                foreach (char c in s) plain &= c is >= ' ' and < '\x7f' and not ('"' or '\\');
                if (plain) sb.Append('"').Append(s).Append('"');
                else sb.Append("s'").Append(Convert.ToHexStringLower(utf8)).Append('\'');
                break;
            case MessagePackType.Binary:
                sb.Append("h'").Append(Convert.ToHexStringLower(r.StrictBinary())).Append('\'');
                break;
            case MessagePackType.Array:
                int n = r.StrictArrayHeader();
                sb.Append('[');
                for (int i = 0; i < n; i++)
                {
                    if (i > 0) sb.Append(',');
                    Append(ref r, sb);
                }
                sb.Append(']');
                break;
            case MessagePackType.Map:
                int m = r.StrictMapHeader();
                sb.Append('{');
                for (int i = 0; i < m; i++)
                {
                    if (i > 0) sb.Append(',');
                    Append(ref r, sb);
                    sb.Append(':');
                    Append(ref r, sb);
                }
                sb.Append('}');
                break;
            default:
                throw new InvalidOperationException($"type {r.NextMessagePackType} not in the canonical form");
        }
    }
}
