using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Configuration;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// <c>Peers</c> is a list; a single value (<c>--ServiceNode:Peers=198.51.100.2</c>, or a JSON string
/// instead of an array) would bind to nothing and silently make a single node. Refuse to start instead.
/// </summary>
public sealed class PeersListStartupCheck(IConfiguration configuration) : IStartupCheck
{
    public IReadOnlyList<string> Check()
    {
        var section = configuration.GetSection($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Peers)}");
        return section.Value is { Length: > 0 } value
            ? [$"{section.Path} = '{value}': a list is expected: a JSON array, or {section.Path}:0=ADDRESS {section.Path}:1=ADDRESS ... on the command line"]
            : [];
    }
}
