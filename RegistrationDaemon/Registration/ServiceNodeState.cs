namespace Replicator.RegistrationDaemon.Registration;

/// <summary>What vxrd knows about its service node.</summary>
internal enum ServiceNodeState
{
    /// <summary>Nothing registered and never heard from it.</summary>
    Unknown,
    Reachable,

    /// <summary>Silent for longer than twice the refresh interval: entries stay as they were (fail-static).</summary>
    Unreachable,
}
