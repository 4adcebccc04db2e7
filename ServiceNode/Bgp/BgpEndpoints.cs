using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Management;

namespace Replicator.ServiceNode.Bgp;

/// <summary>The speaker's management route: <c>GET /bgp</c> (sessions: peer, state, uptime, routes, updates, last error).</summary>
internal sealed class BgpEndpoints(BgpSpeaker speaker, IOptions<BgpOptions> options, TimeProvider time) : IManagementEndpoints
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/bgp", (Delegate)Get);
    }

    private IResult Get() => ManagementResults.Ok(Describe());

    public BgpStatusResponse Describe()
    {
        DateTimeOffset now = time.GetUtcNow();
        string? routerId = options.Value.Enabled && speaker.SessionDetails.Count > 0 ? speaker.SessionDetails[0].RouterIdText : null;
        return new BgpStatusResponse(options.Value.Enabled, options.Value.LocalAs, routerId, speaker.ExportedRoutes,
        [
            .. speaker.SessionDetails.Select(s =>
            {
                BgpSessionStatus status = s.Status;
                return new BgpSessionResponse(status.Peer.ToString(), status.State, status.EstablishedSince,
                    status.EstablishedSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : null,
                    status.RoutesReceived, status.RoutesAdvertised, status.UpdatesReceived, status.UpdatesSent, s.MacIpRoutesSeen, status.LastError);
            }),
        ]);
    }
}
