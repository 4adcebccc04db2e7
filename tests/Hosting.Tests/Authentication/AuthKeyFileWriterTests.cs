using System.CommandLine;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Management.Cli;

namespace Replicator.Hosting.Tests.Authentication;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes
public sealed class AuthKeyFileWriterTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("keygen-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static Task<int> Keygen(out StringWriter stdout, out StringWriter stderr, params string[] args)
    {
        (stdout, stderr) = (new StringWriter(), new StringWriter());
        var root = new RootCommand("test") { KeygenCommand.Create("vxsnd") };
        return CliCommandLine.InvokeAsync(root, ["keygen", .. args], "vxsnd", stdout, stderr);
    }

    [Fact]
    public async Task Keygen_NewFile_ParsesWithOnePrimary32ByteKeyAndMode0600()
    {
        string path = Path.Combine(_directory.FullName, "keys");

        int code = await Keygen(out var stdout, out var stderr, path);

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains(path, stdout.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var ring = AuthKeyFileFormat.Parse(File.ReadAllText(path));
        Assert.Equal(1, ring.Count);
        Assert.Equal(1u, ring.PrimaryKeyId);
        Assert.Single(_directory.GetFiles()); // no temporary file left behind
        Assert.Matches(@"(?m)^1 hex:[0-9a-f]{64} primary$", File.ReadAllText(path));
    }

    [Fact]
    public async Task Keygen_TwoFiles_DifferentKeys()
    {
        string a = Path.Combine(_directory.FullName, "a"), b = Path.Combine(_directory.FullName, "b");
        Assert.Equal(0, await Keygen(out _, out _, a));
        Assert.Equal(0, await Keygen(out _, out _, b));

        Assert.NotEqual(File.ReadAllLines(a)[^1], File.ReadAllLines(b)[^1]);
    }

    [Fact]
    public async Task Keygen_ExistingFile_RefusedUnchangedWithOneLine()
    {
        string path = Path.Combine(_directory.FullName, "keys");
        File.WriteAllText(path, "old");

        int code = await Keygen(out var stdout, out var stderr, path);

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"vxsnd: {path} already exists", line);
        Assert.Contains("--force", line);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task Keygen_ExistingFileWithForce_ReplacedWithGivenIdAndMode0600()
    {
        string path = Path.Combine(_directory.FullName, "keys");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // 0644: the replacement must not inherit it

        int code = await Keygen(out _, out var stderr, path, "--force", "--id", "7");

        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(7u, AuthKeyFileFormat.Parse(File.ReadAllText(path)).PrimaryKeyId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(_directory.GetFiles());
    }

    [Fact]
    public async Task Keygen_MissingDirectory_RefusedWithOneLineAndNothingCreated()
    {
        string missing = Path.Combine(_directory.FullName, "no", "such");

        int code = await Keygen(out _, out var stderr, Path.Combine(missing, "keys"));

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"directory {missing} does not exist", line);
        Assert.False(Directory.Exists(Path.Combine(_directory.FullName, "no")));
    }

    [Fact]
    public void TryWrite_Umask_FileIsOwnerOnlyWhateverTheText()
    {
        string path = Path.Combine(_directory.FullName, "keys");

        Assert.True(AuthKeyFileWriter.TryWrite(path, AuthKeyFileWriter.NewKeyFileText(3, "vxrd", DateTimeOffset.UnixEpoch), false, out string problem), problem);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(3u, AuthKeyFileFormat.Parse(File.ReadAllText(path)).PrimaryKeyId);
    }
}
