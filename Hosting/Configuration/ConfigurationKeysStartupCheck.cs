using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Runs <see cref="ConfigurationKeysCheck"/> over the whole configuration (file, environment and
/// command line) at start, and checks the top-level sections of the file and the command line,
/// the sources written for this daemon (the environment holds anything: <c>PATH</c>, <c>DOTNET_*</c>).
/// </summary>
internal sealed class ConfigurationKeysStartupCheck(IConfiguration configuration, IEnumerable<ConfigurationSectionKeys> keys) : IStartupCheck
{
    public IReadOnlyList<string> Check()
    {
        var errors = new List<string>();
        if (configuration is IConfigurationRoot root)
        {
            var topLevel = root.Providers
                .Where(p => p is JsonFileProvider or CommandLineConfigurationProvider)
                .SelectMany(p => p.GetChildKeys([], null));
            errors.AddRange(ConfigurationKeysCheck.CheckSections(topLevel, keys));
        }
        errors.AddRange(ConfigurationKeysCheck.Check(configuration, keys));
        return errors;
    }
}
