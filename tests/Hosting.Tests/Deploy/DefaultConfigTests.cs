using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Replicator.Hosting.Metrics;

namespace Replicator.Hosting.Deploy.Tests;

public partial class DefaultConfigTests
{
    [Theory]
    [InlineData("vxsnd", "ServiceNode", MetricsEndpointDefaults.ServiceNode)]
    [InlineData("vxrd", "RegistrationDaemon", MetricsEndpointDefaults.RegistrationDaemon)]
    public void DefaultConfig_IsJsonWithTheDaemonSectionAndDefaultMetricsEndpoint(string daemon, string section, string endpoint)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Deploy("systemd", $"{daemon}.json")));

        var s = doc.RootElement.GetProperty(section).GetProperty(MetricsOptions.SectionName);

        Assert.Equal(endpoint, s.GetProperty(nameof(MetricsOptions.Endpoint)).GetString());
        Assert.Equal("", s.GetProperty(nameof(MetricsOptions.OtlpEndpoint)).GetString());
    }

    [Theory]
    [InlineData("systemd/vxsnd.json")]
    [InlineData("systemd/vxrd.json")]
    [InlineData("systemd/vxsnd.service")]
    [InlineData("systemd/vxrd.service")]
    [InlineData("prometheus/prometheus.yml")]
    [InlineData("prometheus/alerts.yml")]
    public void DeployFile_IpAddresses_AreLoopbackOrDocumentationRanges(string file)
    {
        string text = File.ReadAllText(RepositoryPaths.Deploy(file.Split('/')));

        var offending = Ipv4().Matches(text).Select(m => m.Value)
            .Where(a => IPAddress.TryParse(a, out var ip) && !IsAllowed(ip)).ToList();

        Assert.Empty(offending);
    }

    private static bool IsAllowed(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return true;
        }

        byte[] b = ip.GetAddressBytes();
        return (b[0], b[1], b[2]) is (192, 0, 2) or (198, 51, 100) or (203, 0, 113);
    }

    [GeneratedRegex(@"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Ipv4();
}
