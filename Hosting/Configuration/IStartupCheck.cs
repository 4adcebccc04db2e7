namespace Replicator.Hosting.Configuration;

/// <summary>
/// Something that must hold before a daemon starts (options valid, a state file readable).
/// <see cref="DaemonHost.RunAsync"/> runs every registered check before any service starts and
/// refuses to start with the union of their errors, so the operator sees all problems at once.
/// </summary>
public interface IStartupCheck
{
    /// <summary>Returns every problem found, one operator-readable line each; empty when fine.</summary>
    IReadOnlyList<string> Check();
}
