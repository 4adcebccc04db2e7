using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.Hosting.Tests.Authentication;

public class AuthKeyFileFormatTests
{
    private const string Hex32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string SecretHex = "5ec7e75ec7e75ec7e75ec7e75ec7e75e";

    [Fact]
    public void Parse_HexAndBase64WithCommentsAndPrimary_BuildsRing()
    {
        string text = $"""
            # Replicator keys
              1	hex:{Hex32}   # the old key

            2 base64:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8= primary
            """;
        AuthKeyRing ring = AuthKeyFileFormat.Parse(text);
        Assert.Equal([1u, 2u], ring.KeyIds);
        Assert.Equal(2u, ring.PrimaryKeyId);
    }

    [Fact]
    public void Parse_SingleKeyWithoutMark_IsPrimary()
    {
        AuthKeyRing ring = AuthKeyFileFormat.Parse($"7 hex:{Hex32.ToUpperInvariant()}\r\n");
        Assert.Equal(7u, ring.PrimaryKeyId);
    }

    [Fact]
    public void Parse_KeysFromBothEncodings_VerifyEachOther()
    {
        byte[] key = Convert.FromHexString(Hex32);
        AuthKeyRing hex = AuthKeyFileFormat.Parse($"4 hex:{Hex32}");
        AuthKeyRing b64 = AuthKeyFileFormat.Parse($"4 base64:{Convert.ToBase64String(key)}");
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        hex.Sign(datagram, TimeProvider.System);
        Assert.Equal(ControlVerification.Ok, b64.VerifyMac(datagram, 4));
    }

    [Theory]
    [InlineData("", AuthKeyFileError.NoKeys, 0)]
    [InlineData("# only a comment\n\n", AuthKeyFileError.NoKeys, 0)]
    [InlineData("1\n", AuthKeyFileError.MalformedLine, 1)]
    [InlineData("# c\n1 hex:" + SecretHex + " primary extra\n", AuthKeyFileError.MalformedLine, 2)]
    [InlineData("x hex:" + SecretHex, AuthKeyFileError.InvalidKeyId, 1)]
    [InlineData("-1 hex:" + SecretHex, AuthKeyFileError.InvalidKeyId, 1)]
    [InlineData("4294967296 hex:" + SecretHex, AuthKeyFileError.InvalidKeyId, 1)]
    [InlineData("1 hex:" + SecretHex + "\n1 hex:" + SecretHex + "aa primary", AuthKeyFileError.DuplicateKeyId, 2)]
    [InlineData("1 " + SecretHex, AuthKeyFileError.UnknownEncoding, 1)]
    [InlineData("1 hex:" + SecretHex + "a", AuthKeyFileError.InvalidEncoding, 1)]
    [InlineData("1 hex:" + SecretHex + "zz", AuthKeyFileError.InvalidEncoding, 1)]
    [InlineData("1 base64:" + SecretHex + "!", AuthKeyFileError.InvalidEncoding, 1)]
    [InlineData("1 hex:5ec7e75ec7e75ec7e75ec7e75ec7e7", AuthKeyFileError.KeyTooShort, 1)]
    [InlineData("1 hex:" + SecretHex + SecretHex + SecretHex + SecretHex + "5e", AuthKeyFileError.KeyTooLong, 1)]
    [InlineData("1 hex:" + SecretHex + " secondary", AuthKeyFileError.UnknownOption, 1)]
    [InlineData("1 hex:" + SecretHex + "\n2 hex:" + SecretHex, AuthKeyFileError.NoPrimary, 0)]
    [InlineData("1 hex:" + SecretHex + " primary\n2 hex:" + SecretHex + " primary", AuthKeyFileError.SeveralPrimaries, 2)]
    public void TryParse_BadFile_ReportsErrorAndLineWithoutKeyText(string text, AuthKeyFileError error, int line)
    {
        Assert.False(AuthKeyFileFormat.TryParse(text, out AuthKeyRing? ring, out AuthKeyFileProblem problem));
        Assert.Null(ring);
        Assert.Equal(error, problem.Error);
        Assert.Equal(line, problem.Line);
        Assert.DoesNotContain("5ec7e7", problem.ToString(), StringComparison.OrdinalIgnoreCase);
        if (line > 0) Assert.StartsWith($"line {line}: ", problem.ToString());
        var thrown = Assert.Throws<AuthKeyFileException>(() => AuthKeyFileFormat.Parse(text));
        Assert.Equal(error, thrown.Error);
        Assert.DoesNotContain("5ec7e7", thrown.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FormatLine_RoundTrips()
    {
        byte[] key = AuthKeyRing.GenerateKey();
        string text = AuthKeyFileFormat.FormatLine(1, key, primary: false) + "\n" + AuthKeyFileFormat.FormatLine(2, AuthKeyRing.GenerateKey(), primary: true);
        AuthKeyRing ring = AuthKeyFileFormat.Parse(text);
        Assert.Equal(2u, ring.PrimaryKeyId);
        AuthKeyRing single = AuthKeyFileFormat.Parse(AuthKeyFileFormat.FormatLine(1, key, primary: false));
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        single.Sign(datagram, TimeProvider.System);
        Assert.Equal(ControlVerification.Ok, ring.VerifyMac(datagram, 1));
    }
}
