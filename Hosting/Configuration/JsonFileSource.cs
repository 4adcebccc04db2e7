using Microsoft.Extensions.Configuration;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// The daemon's JSON configuration file: required at start, watched for changes, and, unlike the
/// stock JSON source, never emptied by a bad edit: a reload that cannot read or parse the file
/// keeps the previous contents and reports the failure through <see cref="JsonFileProvider.ReloadFailed"/>.
/// </summary>
public sealed class JsonFileSource : IConfigurationSource
{
    public JsonFileSource(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>Watch the file and reload on change.</summary>
    public bool ReloadOnChange { get; init; } = true;

    /// <summary>Quiet time after the last change event before the file is read, so an editor's several writes become one reload.</summary>
    public TimeSpan ReloadDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new JsonFileProvider(this);
}
