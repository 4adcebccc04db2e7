namespace Replicator.Hosting.Management;

/// <summary>Where the management API listens. Read once at start.</summary>
public sealed class ManagementServerOptions
{
    /// <summary>Path of the unix socket (e.g. <c>/run/vxsnd.sock</c>).</summary>
    public string? SocketPath { get; set; }
}
