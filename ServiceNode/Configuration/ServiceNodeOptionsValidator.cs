using System.Net;
using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Configuration;

/// <summary>Checks every <see cref="ServiceNodeOptions"/> key and reports all problems at once, each naming key and value.</summary>
public sealed class ServiceNodeOptionsValidator : IValidateOptions<ServiceNodeOptions>
{
    private const string S = ServiceNodeOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ServiceNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.ControlAddress, out var address) || IsMulticast(address))
            errors.Add($"{S}:ControlAddress = '{options.ControlAddress}': not a unicast IPv4 or IPv6 address (use 0.0.0.0 or :: for any)");
        if (options.ControlPort is < 0 or > 65535)
            errors.Add($"{S}:ControlPort = '{options.ControlPort}': must be 0-65535 (0: any free port)");
        if (options.HoldTime <= TimeSpan.Zero || options.HoldTime > Registry.RegistryLimits.MaxHoldTime)
            errors.Add($"{S}:HoldTime = '{options.HoldTime}': must be more than 0 and at most {Registry.RegistryLimits.MaxHoldTime}");
        if (options.AgeCheckInterval < TimeSpan.FromMilliseconds(10) || options.AgeCheckInterval > TimeSpan.FromMinutes(1))
            errors.Add($"{S}:AgeCheckInterval = '{options.AgeCheckInterval}': must be between 00:00:00.010 and 00:01:00");
        if (string.IsNullOrWhiteSpace(options.StaticEntriesFile) || !Path.IsPathFullyQualified(options.StaticEntriesFile))
            errors.Add($"{S}:StaticEntriesFile = '{options.StaticEntriesFile}': must be an absolute path");
        if (string.IsNullOrWhiteSpace(options.ManagementSocket) || !Path.IsPathFullyQualified(options.ManagementSocket))
            errors.Add($"{S}:ManagementSocket = '{options.ManagementSocket}': must be an absolute path");
        else if (System.Text.Encoding.UTF8.GetByteCount(options.ManagementSocket) > 107)
            errors.Add($"{S}:ManagementSocket = '{options.ManagementSocket}': longer than a unix socket path may be (107 bytes)");
        if (options.MaxEntries < 1)
            errors.Add($"{S}:MaxEntries = '{options.MaxEntries}': must be at least 1");
        if (options.MaxMembersPerVni < 1)
            errors.Add($"{S}:MaxMembersPerVni = '{options.MaxMembersPerVni}': must be at least 1");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsMulticast(IPAddress address) =>
        address.IsIPv6Multicast || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0);
}
