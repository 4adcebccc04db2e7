using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Provider of <see cref="JsonFileSource"/>. The stock file provider clears its data when a reload
/// fails (file briefly missing during an editor's rename, half-written JSON), which would silently
/// put every option back to its default; this one keeps the last contents it could parse.
/// </summary>
public sealed class JsonFileProvider : ConfigurationProvider, IDisposable
{
    private readonly JsonFileSource _source;
    private readonly PhysicalFileProvider? _watcher;
    private readonly IDisposable? _subscription;
    private readonly Timer? _debounce;
    private bool _loaded;

    public JsonFileProvider(JsonFileSource source)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        if (source.ReloadOnChange)
        {
            string directory = System.IO.Path.GetDirectoryName(source.Path)!;
            if (Directory.Exists(directory))
            {
                _watcher = new PhysicalFileProvider(directory, Microsoft.Extensions.FileProviders.Physical.ExclusionFilters.None);
                string name = System.IO.Path.GetFileName(source.Path);
                _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
                _subscription = ChangeToken.OnChange(() => _watcher.Watch(name), () => _debounce.Change(source.ReloadDelay, Timeout.InfiniteTimeSpan));
            }
        }
    }

    /// <summary>Raised (on a thread-pool thread) when a reload failed and the previous contents stay in force.</summary>
    public event Action<string, Exception>? ReloadFailed;

    /// <summary>Raised after a reload that read the file successfully.</summary>
    public event Action<string>? Reloaded;

    public string Path => _source.Path;

    /// <summary>
    /// Checks the contents of a reloaded file before they replace the current ones (unknown keys,
    /// misshapen values); any error refuses the reload like unparsable JSON would. Set at start by
    /// the daemon host, which knows the keys.
    /// </summary>
    public Func<IConfiguration, IReadOnlyList<string>>? ReloadCheck { get; set; }

    /// <summary>First load: a missing or unparsable file throws <see cref="DaemonConfigurationException"/>. Later loads keep the last good contents on failure.</summary>
    public override void Load()
    {
        if (_loaded)
        {
            Reload();
            return;
        }
        Data = Read(_source.Path);
        _loaded = true;
    }

    private void Reload()
    {
        IDictionary<string, string?> data;
        try
        {
            data = Read(_source.Path);
        }
        catch (DaemonConfigurationException ex)
        {
            ReloadFailed?.Invoke(_source.Path, ex);
            return;
        }
        if (ReloadCheck is { } check
            && check(new ConfigurationBuilder().AddInMemoryCollection(data).Build()) is { Count: > 0 } errors)
        {
            ReloadFailed?.Invoke(_source.Path, new DaemonConfigurationException(errors));
            return;
        }
        Data = data;
        OnReload();
        Reloaded?.Invoke(_source.Path);
    }

    private static IDictionary<string, string?> Read(string path)
    {
        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DaemonConfigurationException($"configuration file {path} does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigurationException($"configuration file {path} cannot be read: {ex.Message}", ex);
        }
        using (stream)
        {
            try
            {
                return Parser.Parse(stream);
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
            {
                string detail = ex.InnerException?.Message ?? ex.Message;
                throw new DaemonConfigurationException($"configuration file {path} is not valid JSON: {detail}", ex);
            }
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _debounce?.Dispose();
        _watcher?.Dispose();
    }

    public override string ToString() => $"{nameof(JsonFileProvider)} for '{_source.Path}'";

    /// <summary>Borrows the stock JSON parser (internal to its package) through its public stream entry point.</summary>
    private sealed class Parser : JsonStreamConfigurationProvider
    {
        private Parser() : base(new JsonStreamConfigurationSource()) { }

        public static IDictionary<string, string?> Parse(Stream stream)
        {
            var parser = new Parser();
            parser.Load(stream);
            return parser.Data;
        }
    }
}
