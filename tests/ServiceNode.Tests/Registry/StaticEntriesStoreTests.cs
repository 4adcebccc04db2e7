using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class StaticEntriesStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("static").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_MissingFile_Empty()
    {
        Assert.Empty(new StaticEntriesStore(Path.Combine(_dir, "none")).Load());
    }

    [Fact]
    public void Save_ThenLoad_RoundTripsAndLeavesNoTemporaryFile()
    {
        var store = new StaticEntriesStore(Path.Combine(_dir, "sub", "static"));
        VtepAddress.TryParse("198.51.100.7", out var a);
        VtepAddress.TryParse("2001:db8::7", out var b);
        store.Save([new StaticEntry(7, b), new StaticEntry(7, a), new StaticEntry(16777215, a)]);
        Assert.Equal([new StaticEntry(7, a), new StaticEntry(7, b), new StaticEntry(16777215, a)], store.Load());
        Assert.Equal(["static"], Directory.GetFiles(Path.Combine(_dir, "sub")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("100", ":1: expected 'VNI ADDRESS'")]
    [InlineData("# c\n100 192.0.2.1\nabc 192.0.2.1", ":3: 'abc' is not a VNI")]
    [InlineData("16777216 192.0.2.1", "is not a VNI")]
    [InlineData("1 192.0.2", "is not a unicast")]
    [InlineData("1 224.0.0.1", "is not a unicast")]
    [InlineData("1 192.0.2.1 extra", "expected 'VNI ADDRESS'")]
    public void Load_BadLine_ThrowsNamingFileAndLine(string text, string expected)
    {
        string path = Path.Combine(_dir, "bad");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<FormatException>(() => new StaticEntriesStore(path).Load());
        Assert.StartsWith(path + ":", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
