using System.Net;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Bgp;

/// <summary>Checks every <see cref="BgpOptions"/> key and reports all problems at once, each naming key and value. Nothing is checked while the speaker is off, except the shapes the binder checks.</summary>
/// <param name="serviceNode">For the default router id (the control address); without it a router id is required.</param>
internal sealed class BgpOptionsValidator(IReloadableOptions<ServiceNodeOptions>? serviceNode = null) : IValidateOptions<BgpOptions>
{
    private const string S = BgpOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, BgpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (options.LocalAs == 0) errors.Add($"{S}:LocalAs = '0': required when {S}:Enabled is true (1-4294967295)");
        if (options.RouterId is { } id && !string.IsNullOrWhiteSpace(id))
        {
            if (!BgpSettings.TryParseRouterId(id, out _)) errors.Add($"{S}:RouterId = '{id}': not an IPv4 address other than 0.0.0.0");
        }
        else if (BgpSettings.DefaultRouterId(serviceNode?.Current.ControlAddress) is null)
            errors.Add($"{S}:RouterId: required, because {ServiceNodeOptions.SectionName}:ControlAddress = '{serviceNode?.Current.ControlAddress}' is not an IPv4 unicast address");
        if (options.Peers.Count == 0) errors.Add($"{S}:Peers: empty; at least one route reflector is needed when {S}:Enabled is true");
        _ = PeerListValidation.Check($"{S}:Peers", options.Peers, errors);
        if (options.Port is < 1 or > 65535) errors.Add($"{S}:Port = '{options.Port}': must be 1-65535");
        if (options.HoldTime != TimeSpan.Zero && (options.HoldTime < TimeSpan.FromSeconds(3) || options.HoldTime > TimeSpan.FromSeconds(ushort.MaxValue)
            || options.HoldTime.Ticks % TimeSpan.TicksPerSecond != 0))
            errors.Add($"{S}:HoldTime = '{options.HoldTime}': must be 0 or whole seconds from 3 to 65535 (RFC 4271)");
        if (options.ConnectRetry < TimeSpan.FromMilliseconds(100) || options.ConnectRetry > TimeSpan.FromHours(1))
            errors.Add($"{S}:ConnectRetry = '{options.ConnectRetry}': must be between 00:00:00.100 and 01:00:00");
        if (options.ConnectRetryMax < options.ConnectRetry || options.ConnectRetryMax > TimeSpan.FromHours(1))
            errors.Add($"{S}:ConnectRetryMax = '{options.ConnectRetryMax}': must be between {S}:ConnectRetry and 01:00:00");
        if (options.LocalAddress is { } local && !string.IsNullOrWhiteSpace(local)
            && (!IPAddress.TryParse(local, out var address) || !PeerAddress.IsUnicast(address)))
            errors.Add($"{S}:LocalAddress = '{local}': not a unicast IPv4 or IPv6 address");
        if (options.PasswordFile is { } file && !string.IsNullOrWhiteSpace(file) && !BgpPassword.TryRead(file, out _, out string? why))
            errors.Add($"{S}:PasswordFile = '{file}': {why}");
        if (options.MaxRoutesPerPeer is < 1 or > 10_000_000) errors.Add($"{S}:MaxRoutesPerPeer = '{options.MaxRoutesPerPeer}': must be 1-10000000");
        if (options.MaxQueuedChangesPerPeer is < 1 or > 1_000_000)
            errors.Add($"{S}:MaxQueuedChangesPerPeer = '{options.MaxQueuedChangesPerPeer}': must be 1-1000000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
