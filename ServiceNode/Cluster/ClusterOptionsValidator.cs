using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Cluster;

/// <summary>Checks every <see cref="ClusterOptions"/> key and reports all problems at once, each naming key and value.</summary>
/// <param name="serviceNode">For the check of <c>ControlAddress</c> against <c>AnycastAddress</c>; skipped without it.</param>
internal sealed class ClusterOptionsValidator(IReloadableOptions<ServiceNodeOptions>? serviceNode = null) : IValidateOptions<ClusterOptions>
{
    private const string S = ClusterOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var seen = PeerListValidation.Check($"{S}:Peers", options.Peers, errors);
        IPAddress? anycast = null;
        if (options.AnycastAddress is { } a && !string.IsNullOrWhiteSpace(a) && (!IPAddress.TryParse(a, out anycast) || !PeerAddress.IsUnicast(anycast) || (anycast.AddressFamily == AddressFamily.InterNetworkV6 && anycast.ScopeId != 0)
            || (anycast.AddressFamily == AddressFamily.InterNetwork && a.Count(c => c == '.') != 3)))
            errors.Add($"{S}:AnycastAddress = '{a}': not a unicast IPv4 or IPv6 address");
        else if (anycast is not null && seen.Contains(Hosting.Addressing.AddressPolicy.Normalize(anycast)))
            errors.Add($"{S}:AnycastAddress = '{options.AnycastAddress}': also listed in Peers; peers are reached by their own unicast addresses");
        if (anycast is not null && serviceNode?.Current.ControlAddress is { } control && IPAddress.TryParse(control, out var controlAddress)
            && (controlAddress.Equals(IPAddress.Any) || controlAddress.Equals(IPAddress.IPv6Any)))
            errors.Add($"{ServiceNodeOptions.SectionName}:ControlAddress = '{control}': must be this node's own unicast address when {S}:AnycastAddress is set: "
                + "relays leave from it, and the anycast address gets a control socket of its own (a wildcard would cover the anycast's port)");
        if (options.InstallAnycast && string.IsNullOrWhiteSpace(options.AnycastAddress))
            errors.Add($"{S}:InstallAnycast = 'True': needs {S}:AnycastAddress");
        if (options.SyncPort is < 0 or > 65535)
            errors.Add($"{S}:SyncPort = '{options.SyncPort}': must be 0-65535 (0: any free port)");
        if (options.SyncTimeout < TimeSpan.FromMilliseconds(100) || options.SyncTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{S}:SyncTimeout = '{options.SyncTimeout}': must be between 00:00:00.100 and 00:05:00");
        if (options.KeepaliveInterval < TimeSpan.FromMilliseconds(100) || options.KeepaliveInterval > TimeSpan.FromMinutes(5))
            errors.Add($"{S}:KeepaliveInterval = '{options.KeepaliveInterval}': must be between 00:00:00.100 and 00:05:00");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
