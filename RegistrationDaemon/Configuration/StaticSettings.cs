using System.Net;

namespace Replicator.RegistrationDaemon.Configuration;

/// <summary>The part of the configuration read once at start, parsed (the validator already checked it).</summary>
internal sealed record StaticSettings(
    IPAddress ServiceNode,
    int ControlPort,
    IPAddress? SourceAddress,
    TimeSpan ReconcileInterval,
    IReadOnlyList<string> Devices,
    string ManagementSocket,
    int MaxPeersPerVni = 4096)
{
    public static StaticSettings From(RegistrationDaemonOptions o) => new(
        IPAddress.Parse(o.ServiceNode!),
        o.ControlPort,
        string.IsNullOrEmpty(o.SourceAddress) ? null : IPAddress.Parse(o.SourceAddress),
        o.ReconcileInterval,
        [.. o.Devices],
        o.ManagementSocket,
        o.MaxPeersPerVni);
}
