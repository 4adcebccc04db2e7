namespace Replicator.Hosting.Metrics;

/// <summary>
/// Default metrics listeners: loopback only (the endpoints carry no authentication), one port
/// per daemon so that vxsnd and vxrd can run on the same host.
/// </summary>
public static class MetricsEndpointDefaults
{
    /// <summary>vxsnd (ServiceNode:Metrics:Endpoint).</summary>
    public const string ServiceNode = "127.0.0.1:9501";

    /// <summary>vxrd (RegistrationDaemon:Metrics:Endpoint).</summary>
    public const string RegistrationDaemon = "127.0.0.1:9502";

    /// <summary>The default for a daemon name ("vxsnd", "vxrd"); throws for any other name.</summary>
    public static string For(string daemonName) => daemonName switch
    {
        "vxsnd" => ServiceNode,
        "vxrd" => RegistrationDaemon,
        _ => throw new ArgumentException($"no default MetricsEndpoint for daemon '{daemonName}'; set MetricsEndpoint explicitly", nameof(daemonName)),
    };
}
