using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Authentication;

/// <summary>Refuses to start with a key file that cannot be read or parsed (naming path and line, never a key).</summary>
internal sealed class AuthKeyFileStartupCheck(ControlAuthenticationSettings settings) : IStartupCheck
{
    public IReadOnlyList<string> Check()
    {
        string? path = settings.KeyFile;
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path)) return [];
        return AuthKeyFileReader.TryRead(path, out _, out string problem, out _) ? [] : [$"{settings.KeyFileOptionName}: {problem}"];
    }
}
