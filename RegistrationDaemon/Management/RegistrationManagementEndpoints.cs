using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Replicator.Hosting;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Management;
using Replicator.RegistrationDaemon.Daemon;

namespace Replicator.RegistrationDaemon.Management;

/// <summary>
/// vxrd's management API: <c>GET /devices</c>, <c>GET /peers[?vni=N]</c>, <c>GET /status</c>,
/// <c>POST /flush</c>. Reads come from the loop's published snapshot (no locks, no waiting on the
/// loop); a flush is queued on the loop and answered once carried out.
/// </summary>
internal sealed class RegistrationManagementEndpoints : IManagementEndpoints
{
    private readonly DaemonLoop _loop;
    private readonly TimeProvider _time;
    private readonly ControlAuthentication? _authentication;

    public RegistrationManagementEndpoints(DaemonLoop loop, TimeProvider time, ControlAuthentication? authentication = null)
    {
        _loop = loop ?? throw new ArgumentNullException(nameof(loop));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _authentication = authentication;
    }

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/devices", () => ManagementResults.Ok(_loop.Snapshot.Devices));
        endpoints.MapGet("/peers", (HttpRequest request) =>
        {
            var peers = _loop.Snapshot.Peers;
            if (request.Query.TryGetValue("vni", out var text))
            {
                if (!uint.TryParse(text, out uint vni) || vni > 0xFF_FFFF)
                    return ManagementResults.BadRequest($"vni '{text}' is not a VNI (0..16777215)");
                peers = [.. peers.Where(p => p.Vni == vni)];
            }
            return ManagementResults.Ok(peers);
        });
        endpoints.MapGet("/status", () => ManagementResults.Ok(Status(_loop.Snapshot, _time.GetUtcNow(), _authentication?.State)));
        endpoints.MapPost("/flush", async (CancellationToken ct) =>
        {
            try
            {
                return ManagementResults.Ok(new FlushResult(await _loop.FlushAsync(ct)));
            }
            catch (InvalidOperationException ex)
            {
                return ManagementResults.Unavailable(ex.Message);
            }
        });
    }

    public static StatusView Status(DaemonSnapshot s, DateTimeOffset now, ControlAuthenticationState? authentication = null) => new(
        DaemonVersion.Current,
        s.Mode, s.ServiceNode, s.ControlPort, s.ServiceNodeState, s.Reachable, s.LastContact,
        s.LastContact is { } c ? Math.Round((now - c).TotalSeconds, 1) : null, s.LastRegistration,
        s.HoldTimeSeconds, s.RefreshRate, s.ReconcileIntervalSeconds, s.ProgrammingPaused, s.StartedAt,
        Math.Round((now - s.StartedAt).TotalSeconds, 1), s.Devices.Count, s.ManagedDevices, s.Vnis,
        s.Peers.Count(p => !p.Self), s.DefaultEntries, s.Registrations, authentication?.ToString().ToLowerInvariant());
}
