namespace Replicator.Hosting.Configuration;

/// <summary>
/// Splits a daemon's command line into the <c>--config FILE</c> choice and the remaining
/// <c>--Section:Key=value</c> overrides, for callers that do not parse with System.CommandLine.
/// </summary>
public static class DaemonArguments
{
    public const string ConfigOption = "--config";

    /// <summary>Returns the arguments without <c>--config FILE</c> / <c>--config=FILE</c>.</summary>
    /// <exception cref="DaemonConfigurationException"><c>--config</c> without a file name.</exception>
    public static string[] SplitConfigFile(IReadOnlyList<string> args, out string? configFile)
    {
        configFile = null;
        var rest = new List<string>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == ConfigOption)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new DaemonConfigurationException("--config needs a file name");
                configFile = args[++i];
            }
            else if (a.StartsWith(ConfigOption + "=", StringComparison.Ordinal))
            {
                configFile = a[(ConfigOption.Length + 1)..];
                if (configFile.Length == 0) throw new DaemonConfigurationException("--config needs a file name");
            }
            else
            {
                rest.Add(a);
            }
        }
        return [.. rest];
    }
}
