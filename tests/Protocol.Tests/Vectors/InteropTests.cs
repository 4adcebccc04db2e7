using Replicator.Protocol.Control;
using Replicator.Protocol.Tests.Control;

namespace Replicator.Protocol.Tests.Vectors;

/// <summary>
/// Interop with an independent MessagePack implementation (Debian's python3-msgpack, driven by
/// Vectors/msgpack_interop.py): our bytes read correctly there, and its bytes, including
/// non-minimal encodings, read correctly here.
/// </summary>
public class InteropTests
{
    private static readonly IReadOnlyDictionary<string, ControlMessage> PythonSamples = new Dictionary<string, ControlMessage>
    {
        ["register-ipv4"] = Samples.RegisterIpv4,
        ["register-ipv6"] = Samples.RegisterIpv6,
        ["peerlist-mixed"] = Samples.PeerListMixed,
        ["register-cookie"] = Samples.RegisterWithCookie,
        ["peerlist-cookie"] = Samples.PeerListCookieOnly,
        ["sync-two"] = Samples.SyncTwoEntries,
        ["register-generations"] = Samples.RegisterWithGenerations,
        ["peerlist-generations"] = Samples.PeerListWithGenerations,
        ["peerlist-delta"] = Samples.PeerListDelta,
        ["peerlist-instance"] = Samples.PeerListWithInstance,
        ["register-incomplete"] = Samples.RegisterWithIncompleteList,
    };

    [Fact]
    public void OurVectors_Files_MatchWhatTheWriterProducesNow()
    {
        bool rewrite = Environment.GetEnvironmentVariable("REPLICATOR_WRITE_VECTORS") == "1";
        foreach ((string name, (byte[] bytes, _)) in OurVectors.All)
        {
            string path = OurVectors.PathOf(name);
            if (rewrite)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                RepositoryFiles.WriteHex(path, bytes, $"{name}: produced by our writer (Vectors/OurVectors.cs); see Protocol/PROTOCOL.md");
            }
            Assert.True(File.Exists(path), $"{path} missing; run the tests once with REPLICATOR_WRITE_VECTORS=1");
            Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(RepositoryFiles.ReadHex(path)));
        }
    }

    [Fact]
    public void OurVectors_DecodedByPythonMsgpack_HaveExpectedStructure()
    {
        Dictionary<string, string> python = PythonMsgpack.Decode("decode-control", OurVectors.All.Keys.Select(OurVectors.PathOf));
        foreach ((string name, (byte[] bytes, string expected)) in OurVectors.All)
        {
            Assert.Equal(expected, python[name]);
            byte[] datagram = name.EndsWith(".frame.hex", StringComparison.Ordinal) ? bytes[SyncFraming.PrefixSize..] : bytes;
            Assert.Equal(expected, Canonical.Control(datagram));
        }
    }

    [Fact]
    public void PythonVectors_Files_AreWhatPythonMsgpackProduces()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "replicator-vectors-" + Guid.NewGuid().ToString("N"));
        try
        {
            PythonMsgpack.Run("generate", outDir);
            string[] produced = Directory.GetFiles(outDir, "*.hex").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
            string[] stored = RepositoryFiles.HexFiles("python").Select(Path.GetFileName).ToArray()!;
            Assert.Equal(stored, produced);
            foreach (string name in produced)
            {
                // Bytes only: comments may differ between script revisions without meaning anything.
                Assert.Equal(
                    Convert.ToHexStringLower(RepositoryFiles.ReadHex(Path.Combine(outDir, name))),
                    Convert.ToHexStringLower(RepositoryFiles.ReadHex(Path.Combine(RepositoryFiles.VectorsDirectory, "python", name))));
            }
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void PythonControlVectors_MinimalAndNonMinimal_DecodeToTheSamples()
    {
        foreach ((string name, ControlMessage expected) in PythonSamples)
        {
            foreach (string variant in new[] { "min", "nonminimal" })
            {
                byte[] datagram = RepositoryFiles.ReadHex(Path.Combine(RepositoryFiles.VectorsDirectory, "python", $"control-{name}.{variant}.hex"));
                Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), $"{name}.{variant}: {detail}");
                Assert.Equal(expected, decoded);
            }
        }
    }

    [Fact]
    public void PythonControlVectors_Minimal_EqualOurWriterByteForByte()
    {
        foreach ((string name, ControlMessage message) in PythonSamples)
        {
            byte[] python = RepositoryFiles.ReadHex(Path.Combine(RepositoryFiles.VectorsDirectory, "python", $"control-{name}.min.hex"));
            Assert.Equal(Convert.ToHexStringLower(python), Convert.ToHexStringLower(ControlCodec.Encode(message)));
        }
    }

    [Fact]
    public void PythonVectors_EveryFile_OurReaderAgreesWithPythonMsgpack()
    {
        string[] values = RepositoryFiles.HexFiles("python").Where(f => Path.GetFileName(f).StartsWith("value-", StringComparison.Ordinal)).ToArray();
        string[] controls = RepositoryFiles.HexFiles("python").Where(f => Path.GetFileName(f).StartsWith("control-", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(values);
        Assert.NotEmpty(controls);
        Dictionary<string, string> pythonValues = PythonMsgpack.Decode("decode-value", values);
        Dictionary<string, string> pythonControls = PythonMsgpack.Decode("decode-control", controls);
        foreach (string file in values)
        {
            Assert.Equal(pythonValues[Path.GetFileName(file)], Canonical.Value(RepositoryFiles.ReadHex(file)));
        }
        foreach (string file in controls)
        {
            Assert.Equal(pythonControls[Path.GetFileName(file)], Canonical.Control(RepositoryFiles.ReadHex(file)));
        }
    }
}
