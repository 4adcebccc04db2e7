using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Authentication;

public sealed class ControlAuthenticationExtensionsTests
{
    private const string Section = "Daemon:Authentication";

    private static ServiceProvider Services(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        // The daemon's own section, as its other options declare it.
        services.AddConfigurationKeys(new ConfigurationSectionKeys("Daemon", [new("ManagementSocket", typeof(string))]));
        services.AddControlAuthentication(Section, "vxtest", defaultReplayCacheSize: 4096);
        return services.BuildServiceProvider();
    }

    private static List<string> StartupErrors(ServiceProvider services) =>
        [.. services.GetServices<IStartupCheck>().SelectMany(c => c.Check())];

    [Fact]
    public void AddControlAuthentication_NestedKeys_BindIntoSettings()
    {
        using var services = Services(
            ("Daemon:Authentication:KeyFile", "/etc/replicator/keys"),
            ("Daemon:Authentication:AllowUnauthenticated", "true"),
            ("Daemon:Authentication:MaxClockSkew", "5s"),
            ("Daemon:Authentication:ReplayCacheSize", "2048"),
            ("Daemon:Authentication:KeyFileCheckInterval", "2s"));

        var settings = services.GetRequiredService<ControlAuthenticationSettings>();

        Assert.Equal(new ControlAuthenticationSettings("/etc/replicator/keys", TimeSpan.FromSeconds(5), 2048, TimeSpan.FromSeconds(2),
            "Daemon:Authentication:KeyFile", AllowUnauthenticated: true, DaemonName: "vxtest"), settings);
        Assert.Equal("Daemon:Authentication:AllowUnauthenticated", settings.AllowUnauthenticatedOptionName);
    }

    [Fact]
    public void AddControlAuthentication_ReplayCacheSizeUnset_TakesTheDaemonsDefault()
    {
        using var services = Services(("Daemon:Authentication:AllowUnauthenticated", "true"));

        var settings = services.GetRequiredService<ControlAuthenticationSettings>();

        Assert.Equal(4096, settings.ReplayCacheSize);
        Assert.Equal(ReplayGuard.DefaultMaxClockSkew, settings.MaxClockSkew);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.KeyFileCheckInterval);
        Assert.Empty(StartupErrors(services));
    }

    [Fact]
    public void AddControlAuthentication_NoKeyFile_RefusedInOneLineNamingTheKey()
    {
        using var services = Services();

        string line = Assert.Single(StartupErrors(services));

        Assert.StartsWith("Daemon:Authentication:KeyFile is not set: control messages must be authenticated.", line);
        Assert.Contains("set Daemon:Authentication:AllowUnauthenticated to true", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void AddControlAuthentication_BadValuesAndUnknownKeys_AllReportedNamingKeys()
    {
        using var services = Services(
            ("Daemon:Authentication:AllowUnauthenticated", "true"),
            ("Daemon:Authentication:MaxClockSkew", "1h"),
            ("Daemon:Authentication:ReplayCacheSize", "many"),
            ("Daemon:Authentication:KeyFiel", "/etc/replicator/keys"),
            ("Daemon:AuthKeyFile", "/etc/replicator/keys"));

        var errors = StartupErrors(services);

        Assert.Contains("Daemon:Authentication:MaxClockSkew = '01:00:00': must be between 00:00:01 and 00:10:00", errors);
        Assert.Contains(errors, e => e.StartsWith("Daemon:Authentication:ReplayCacheSize = 'many': not a valid", StringComparison.Ordinal));
        Assert.Contains("Daemon:Authentication:KeyFiel: unknown key; did you mean KeyFile?", errors);
        Assert.Contains(errors, e => e.StartsWith("Daemon:AuthKeyFile: unknown key", StringComparison.Ordinal));
        Assert.Equal(4, errors.Count);
    }
}
