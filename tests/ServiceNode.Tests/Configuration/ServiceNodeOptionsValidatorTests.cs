using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Tests.Configuration;

public sealed class ServiceNodeOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"ServiceNode:{v.Key}", v.Value)))
            .Build();
        using var options = new ReloadableOptions<ServiceNodeOptions>(configuration, "ServiceNode", [new ServiceNodeOptionsValidator()],
            NullLogger<ReloadableOptions<ServiceNodeOptions>>.Instance);
        return options.StartupErrors;
    }

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(Errors());
        var defaults = new ServiceNodeOptions();
        Assert.Equal("0.0.0.0", defaults.ControlAddress);
        Assert.Equal(10001, defaults.ControlPort);
        Assert.Equal("/run/vxsnd.sock", defaults.ManagementSocket);
    }

    [Fact]
    public void Validate_DualStackAny_Accepted()
    {
        Assert.Empty(Errors(("ControlAddress", "::")));
    }

    [Fact]
    public void Validate_ManyBadValues_ReportsEachWithKeyAndValue()
    {
        var errors = Errors(
            ("ControlAddress", "vxsnd.example"),
            ("ControlPort", "70000"),
            ("ManagementSocket", "/" + new string('x', 120)));
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:ControlAddress = 'vxsnd.example'"));
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:ControlPort = '70000'"));
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:ManagementSocket = '/xxx"));
    }
}
