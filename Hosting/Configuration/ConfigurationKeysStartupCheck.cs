using Microsoft.Extensions.Configuration;

namespace Replicator.Hosting.Configuration;

/// <summary>Runs <see cref="ConfigurationKeysCheck"/> over the whole configuration (file, environment and command line) at start.</summary>
internal sealed class ConfigurationKeysStartupCheck(IConfiguration configuration, IEnumerable<ConfigurationSectionKeys> keys) : IStartupCheck
{
    public IReadOnlyList<string> Check() => ConfigurationKeysCheck.Check(configuration, keys);
}
