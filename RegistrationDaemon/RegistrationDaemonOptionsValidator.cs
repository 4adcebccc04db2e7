using System.Net;
using Microsoft.Extensions.Options;

namespace Replicator.RegistrationDaemon;

/// <summary>Reports every bad key at once, each naming the key and the value it had.</summary>
internal sealed class RegistrationDaemonOptionsValidator : IValidateOptions<RegistrationDaemonOptions>
{
    private const string P = RegistrationDaemonOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, RegistrationDaemonOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.ServiceNode))
            errors.Add($"{P}ServiceNode is required (the service node's address, e.g. 203.0.113.1).");
        else if (!IPAddress.TryParse(o.ServiceNode, out var sn) || IsUnusable(sn))
            errors.Add($"{P}ServiceNode '{o.ServiceNode}' is not a unicast IPv4 or IPv6 address.");
        if (o.ControlPort is < 1 or > 65535)
            errors.Add($"{P}ControlPort '{o.ControlPort}' must be between 1 and 65535.");
        if (!string.IsNullOrEmpty(o.SourceAddress) && (!IPAddress.TryParse(o.SourceAddress, out var src) || IsUnusable(src)))
            errors.Add($"{P}SourceAddress '{o.SourceAddress}' is not a unicast IPv4 or IPv6 address.");
        if (!Enum.IsDefined(o.Mode))
            errors.Add($"{P}Mode '{o.Mode}' must be HeadEnd or ServiceNode.");
        if (o.HoldTime < TimeSpan.FromSeconds(1) || o.HoldTime > TimeSpan.FromSeconds(65535))
            errors.Add($"{P}HoldTime '{o.HoldTime}' must be between 1 s and 65535 s (e.g. 90s or 00:01:30).");
        if (o.RefreshRate is < 1 or > 100)
            errors.Add($"{P}RefreshRate '{o.RefreshRate}' must be between 1 and 100.");
        else if (o.HoldTime / o.RefreshRate < TimeSpan.FromMilliseconds(100))
            errors.Add($"{P}RefreshRate '{o.RefreshRate}' with HoldTime '{o.HoldTime}' refreshes more often than every 100 ms.");
        if (o.ReconcileInterval < TimeSpan.FromMilliseconds(100) || o.ReconcileInterval > TimeSpan.FromHours(1))
            errors.Add($"{P}ReconcileInterval '{o.ReconcileInterval}' must be between 100 ms and 1 h (e.g. 10s or 00:00:10).");
        for (int i = 0; i < o.Devices.Count; i++)
        {
            string d = o.Devices[i];
            if (string.IsNullOrWhiteSpace(d) || d.Length > 15 || d.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
                errors.Add($"{P}Devices:{i} '{d}' is not a device name or glob (at most 15 characters, no '/', ':' or spaces).");
        }
        if (string.IsNullOrWhiteSpace(o.ManagementSocket) || !o.ManagementSocket.StartsWith('/'))
            errors.Add($"{P}ManagementSocket '{o.ManagementSocket}' must be an absolute path.");
        if (o.MaxPeersPerVni < 1)
            errors.Add($"{P}MaxPeersPerVni '{o.MaxPeersPerVni}' must be at least 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsUnusable(IPAddress a) =>
        a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) || a.Equals(IPAddress.Broadcast) || a.IsIPv6Multicast
        || (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && a.GetAddressBytes()[0] >= 224);
}
