using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Configuration;

/// <summary>Logs reloads of the configuration file, and reloads that failed and were ignored.</summary>
/// <remarks>It also arms each file's <see cref="JsonFileProvider.ReloadCheck"/> with the daemon's known keys, so a reload with an unknown key or a misshapen value is refused whole.</remarks>
internal sealed partial class ConfigurationReloadLogger(
    IConfiguration configuration, IEnumerable<ConfigurationSectionKeys> keys, ILogger<ConfigurationReloadLogger> logger) : IHostedService
{
    private readonly List<JsonFileProvider> _providers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ConfigurationSectionKeys[] known = [.. keys];
        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.OfType<JsonFileProvider>())
            {
                if (known.Length > 0)
                {
                    provider.ReloadCheck = data =>
                        [.. ConfigurationKeysCheck.CheckSections(data.GetChildren().Select(c => c.Key), known), .. ConfigurationKeysCheck.Check(data, known)];
                }
                provider.ReloadFailed += OnReloadFailed;
                provider.Reloaded += OnReloaded;
                _providers.Add(provider);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in _providers)
        {
            provider.ReloadCheck = null;
            provider.ReloadFailed -= OnReloadFailed;
            provider.Reloaded -= OnReloaded;
        }
        _providers.Clear();
        return Task.CompletedTask;
    }

    private void OnReloadFailed(string path, Exception exception) =>
        Log.FileReloadFailed(logger, path, exception is DaemonConfigurationException c ? string.Join("; ", c.Errors) : exception.Message);

    private void OnReloaded(string path) => Log.FileReloaded(logger, path);

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.ConfigurationFileReloadFailed, Level = LogLevel.Error,
            Message = "Configuration file {Path} changed but could not be loaded; previous settings stay in force: {Reason}")]
        public static partial void FileReloadFailed(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = HostingEventIds.ConfigurationFileReloaded, Level = LogLevel.Information,
            Message = "Configuration file {Path} reloaded")]
        public static partial void FileReloaded(ILogger logger, string path);
    }
}
