namespace Replicator.Hosting.Authentication;

/// <summary>
/// The authentication keys both daemons share (AuthKeyFile, AuthMaxClockSkew, AuthReplayCacheSize,
/// AuthKeyFileCheckInterval), checked once here so the two option validators cannot drift apart.
/// Each problem names the key (under <paramref name="section"/>) and the value.
/// </summary>
public static class AuthenticationOptionChecks
{
    public static void Check(string section, string? authKeyFile, TimeSpan maxClockSkew, int replayCacheSize,
        TimeSpan keyFileCheckInterval, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (authKeyFile is { Length: > 0 } file && !Path.IsPathFullyQualified(file))
            errors.Add($"{section}:AuthKeyFile = '{file}': must be an absolute path");
        if (maxClockSkew < TimeSpan.FromSeconds(1) || maxClockSkew > TimeSpan.FromMinutes(10))
            errors.Add($"{section}:AuthMaxClockSkew = '{maxClockSkew}': must be between 00:00:01 and 00:10:00");
        if (replayCacheSize is < 1024 or > 16_777_216)
            errors.Add($"{section}:AuthReplayCacheSize = '{replayCacheSize}': must be 1024-16777216");
        if (keyFileCheckInterval < TimeSpan.FromSeconds(1) || keyFileCheckInterval > TimeSpan.FromHours(1))
            errors.Add($"{section}:AuthKeyFileCheckInterval = '{keyFileCheckInterval}': must be between 00:00:01 and 01:00:00");
    }
}
