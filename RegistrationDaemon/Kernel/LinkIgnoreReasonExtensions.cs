namespace Replicator.RegistrationDaemon.Kernel;

public static class LinkIgnoreReasonExtensions
{
    /// <summary>Short human text: "not vxlan", "down", "no local address", "external (collect_metadata)".</summary>
    public static string Describe(this LinkIgnoreReason reason) => reason switch
    {
        LinkIgnoreReason.None => "managed",
        LinkIgnoreReason.NotVxlan => "not vxlan",
        LinkIgnoreReason.Down => "down",
        LinkIgnoreReason.NoLocalAddress => "no local address",
        LinkIgnoreReason.ExternalDevice => "external (collect_metadata)",
        _ => reason.ToString(),
    };
}
