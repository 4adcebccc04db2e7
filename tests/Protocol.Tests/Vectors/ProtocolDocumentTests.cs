namespace Replicator.Protocol.Tests.Vectors;

/// <summary>
/// Protocol/PROTOCOL.md's hex examples are real output: each block that starts with
/// "# vector: NAME" must hold exactly the bytes of that vector (text after '|' is comment).
/// </summary>
public class ProtocolDocumentTests
{
    [Fact]
    public void ProtocolMd_HexExamples_EqualWriterOutput()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryFiles.RepositoryRoot, "Protocol", "PROTOCOL.md"));
        var found = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("# vector: ", StringComparison.Ordinal)) continue;
            string name = lines[i]["# vector: ".Length..].Trim();
            var hex = new System.Text.StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                string bytesPart = lines[i].Split('|')[0];
                foreach (char c in bytesPart) if (!char.IsWhiteSpace(c)) hex.Append(c);
            }
            Assert.True(OurVectors.All.ContainsKey(name), $"PROTOCOL.md names unknown vector {name}");
            Assert.Equal(Convert.ToHexStringLower(OurVectors.All[name].Bytes), hex.ToString().ToLowerInvariant());
            found.Add(name);
        }
        Assert.Equal(
            ["register-ipv4.hex", "register-ipv6.hex", "register-cookie.hex", "peerlist-mixed.hex", "peerlist-cookie.hex", "register-generations.hex", "register-incomplete.hex", "peerlist-generations.hex", "peerlist-delta.hex", "peerlist-instance.hex", "sync-two.frame.hex", "register-ipv4.signed.hex"],
            found);
    }
}
