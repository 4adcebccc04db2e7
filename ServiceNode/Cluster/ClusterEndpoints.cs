using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Replicator.Hosting.Management;

namespace Replicator.ServiceNode.Cluster;

/// <summary>The cluster's management route: <c>GET /cluster</c> (peers, reachability, last sync, relay totals, anycast).</summary>
internal sealed class ClusterEndpoints(ClusterStatus status) : IManagementEndpoints
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/cluster", (Delegate)Get);
    }

    private IResult Get() => ManagementResults.Ok(status.Get());
}
