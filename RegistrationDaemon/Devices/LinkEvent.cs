namespace Replicator.RegistrationDaemon.Devices;

/// <summary>One observation of the kernel's links.</summary>
public abstract record LinkEvent
{
    /// <summary>Every link that exists now; links not listed are gone.</summary>
    public sealed record Snapshot(IReadOnlyList<LinkInfo> Links) : LinkEvent;

    /// <summary>A link appeared or changed.</summary>
    public sealed record Changed(LinkInfo Link) : LinkEvent;

    /// <summary>A link was deleted.</summary>
    public sealed record Removed(int IfIndex) : LinkEvent;
}
