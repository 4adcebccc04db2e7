using Microsoft.Extensions.Configuration;

namespace Replicator.Hosting.Configuration;

public static class DaemonConfigurationExtensions
{
    /// <summary>
    /// Adds the daemon configuration sources, later ones overriding earlier ones: the JSON file
    /// <paramref name="configFile"/> (when given; required, reloaded on change), environment
    /// variables (<c>ServiceNode__Registry__HoldTime=00:01:00</c>), then the command line
    /// (<c>--ServiceNode:Registry:HoldTime=00:01:00</c>).
    /// </summary>
    /// <exception cref="DaemonConfigurationException">The file is missing or unparsable, or the command line is malformed (when <paramref name="builder"/> loads eagerly, as <see cref="ConfigurationManager"/> does).</exception>
    public static IConfigurationBuilder AddDaemonConfiguration(this IConfigurationBuilder builder, string? configFile, IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(commandLine);
        if (configFile is not null) builder.Add(new JsonFileSource(configFile));
        builder.AddEnvironmentVariables();
        try
        {
            builder.AddCommandLine([.. commandLine]);
        }
        catch (FormatException ex)
        {
            throw new DaemonConfigurationException($"bad command-line setting: {ex.Message}", ex);
        }
        return builder;
    }

    /// <summary>Builds a stand-alone configuration (e.g. for CLI subcommands that need a default from the daemon's file).</summary>
    public static IConfigurationRoot BuildDaemonConfiguration(string? configFile, IReadOnlyList<string> commandLine)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null) builder.Add(new JsonFileSource(configFile) { ReloadOnChange = false });
        builder.AddEnvironmentVariables();
        builder.AddCommandLine([.. commandLine]);
        try
        {
            return builder.Build();
        }
        catch (FormatException ex)
        {
            throw new DaemonConfigurationException($"bad command-line setting: {ex.Message}", ex);
        }
    }
}
