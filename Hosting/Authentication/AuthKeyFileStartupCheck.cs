using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// Refuses to start without a key file unless the operator opted out (<c>AllowUnauthenticated</c>),
/// and with a key file that cannot be read or parsed (naming path and line, never a key).
/// </summary>
internal sealed class AuthKeyFileStartupCheck(ControlAuthenticationSettings settings) : IStartupCheck
{
    public IReadOnlyList<string> Check()
    {
        string? path = settings.KeyFile;
        if (string.IsNullOrEmpty(path))
            return settings.AllowUnauthenticated ? [] : [MissingKeyFile(settings)];
        if (!Path.IsPathFullyQualified(path)) return [];
        return AuthKeyFileReader.TryRead(path, out _, out string problem, out _) ? [] : [$"{settings.KeyFileOptionName}: {problem}"];
    }

    /// <summary>One line: what is missing, how to fix it, and how to opt out.</summary>
    internal static string MissingKeyFile(ControlAuthenticationSettings settings)
    {
        string daemon = settings.DaemonName.Length > 0 ? settings.DaemonName : "vxsnd";
        return $"{settings.KeyFileOptionName} is not set: control messages must be authenticated. " +
            $"Create a key file with '{daemon} keygen {AuthKeyFileWriter.DefaultPath}', copy it to every vxsnd and vxrd, " +
            $"and set {settings.KeyFileOptionName} to it; or set {settings.AllowUnauthenticatedOptionName} to true " +
            "to run without authentication (anyone who reaches the control port can then join, withdraw and redirect traffic)";
    }
}
