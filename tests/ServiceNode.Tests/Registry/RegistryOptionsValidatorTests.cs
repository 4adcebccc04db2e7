using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class RegistryOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"ServiceNode:Registry:{v.Key}", v.Value)))
            .Build();
        using var options = new ReloadableOptions<RegistryOptions>(configuration, RegistryOptions.SectionName, [new RegistryOptionsValidator()],
            NullLogger<ReloadableOptions<RegistryOptions>>.Instance);
        return options.StartupErrors;
    }

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(Errors());
        var defaults = new RegistryOptions();
        Assert.Equal(TimeSpan.FromSeconds(90), defaults.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(1), defaults.AgeCheckInterval);
        Assert.Equal("/var/lib/vxsnd/static-entries", defaults.StaticEntriesFile);
        Assert.False(defaults.AllowLoopbackVteps);
    }

    [Fact]
    public void Validate_ManyBadValues_ReportsEachWithKeyAndValue()
    {
        var errors = Errors(
            ("HoldTime", "00:00:00"),
            ("AgeCheckInterval", "soon"),
            ("StaticEntriesFile", "relative/file"),
            ("MaxEntries", "0"),
            ("MaxMembersPerVni", "-1"));
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:Registry:HoldTime = '00:00:00'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:Registry:AgeCheckInterval = 'soon'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:Registry:StaticEntriesFile = 'relative/file'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:Registry:MaxEntries = '0'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ServiceNode:Registry:MaxMembersPerVni = '-1'", StringComparison.Ordinal));
    }
}
