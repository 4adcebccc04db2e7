using System.Net;
using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Configuration;

/// <summary>Checks every <see cref="ServiceNodeOptions"/> key and reports all problems at once, each naming key and value.</summary>
internal sealed class ServiceNodeOptionsValidator : IValidateOptions<ServiceNodeOptions>
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
        if (string.IsNullOrWhiteSpace(options.ManagementSocket) || !Path.IsPathFullyQualified(options.ManagementSocket))
            errors.Add($"{S}:ManagementSocket = '{options.ManagementSocket}': must be an absolute path");
        else if (System.Text.Encoding.UTF8.GetByteCount(options.ManagementSocket) > 107)
            errors.Add($"{S}:ManagementSocket = '{options.ManagementSocket}': longer than a unix socket path may be (107 bytes)");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsMulticast(IPAddress address) =>
        address.IsIPv6Multicast || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0);
}
