using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Replicator.Hosting;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Management;

/// <summary>
/// The management API of vxsnd:
/// <c>GET /fdb[?vni=N]</c>, <c>POST /fdb/static</c> {vni, address}, <c>DELETE /fdb/static?vni=N&amp;address=A</c>,
/// <c>PUT /fdb/static</c> [{vni, address}, ...] (replaces all), <c>GET /status</c> (with the cluster part when there is one),
/// <c>GET /diagnostics/heap</c> (<see cref="HeapResponse"/>: retained managed memory after a full collection).
/// Errors: <see cref="ManagementError"/> with 400 (bad input), 404 (no such static entry),
/// 409 (bounds), 503 (storage failed).
/// </summary>
internal sealed class ServiceNodeEndpoints(
    IRegistryWriter registry,
    IReloadableOptions<ServiceNodeOptions> options,
    RegistryMetrics registryMetrics,
    ControlMetrics controlMetrics,
    ControlSocket controlSocket,
    TimeProvider time,
    ClusterStatus? cluster = null,
    ControlAuthentication? authentication = null,
    IOptions<MetricsOptions>? metrics = null) : IManagementEndpoints
{
    private readonly long _started = time.GetTimestamp();

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/fdb", (Delegate)GetFdb);
        endpoints.MapPost("/fdb/static", (Delegate)AddStatic);
        endpoints.MapDelete("/fdb/static", (Delegate)RemoveStatic);
        endpoints.MapPut("/fdb/static", (Delegate)ReplaceStatic);
        endpoints.MapGet("/status", (Delegate)GetStatus);
        endpoints.MapGet("/diagnostics/heap", () => ManagementResults.Ok(HeapResponse.Measure()));
    }

    private async Task<IResult> GetFdb(HttpContext context)
    {
        uint? vni = null;
        if (context.Request.Query.TryGetValue("vni", out var text))
        {
            if (!StaticEntriesFormat.TryParseVni(text, out uint v)) return ManagementResults.BadRequest($"'{text}' is not a VNI (0-{RegistryLimits.MaxVni})");
            vni = v;
        }
        var entries = await registry.InvokeAsync(r => r.GetEntries(vni), context.RequestAborted);
        return ManagementResults.Ok(entries.Select(ToResponse).ToList());
    }

    private async Task<IResult> AddStatic(HttpContext context)
    {
        var request = await ReadJson<StaticEntryRequest>(context);
        if (request is null) return ManagementResults.BadRequest("expected a JSON body {\"vni\": N, \"address\": \"A\"}");
        if (!TryParse(request, out var entry, out string? error)) return ManagementResults.BadRequest(error);
        var result = await registry.InvokeAsync(r => r.AddStatic(entry), context.RequestAborted);
        return ToResult(result, entry);
    }

    private async Task<IResult> RemoveStatic(HttpContext context)
    {
        var request = new StaticEntryRequest(
            StaticEntriesFormat.TryParseVni(context.Request.Query["vni"], out uint v) ? v : uint.MaxValue,
            context.Request.Query["address"].ToString());
        if (!TryParse(request, out var entry, out string? error)) return ManagementResults.BadRequest(error);
        var result = await registry.InvokeAsync(r => r.RemoveStatic(entry), context.RequestAborted);
        return ToResult(result, entry);
    }

    private async Task<IResult> ReplaceStatic(HttpContext context)
    {
        var request = await ReadJson<List<StaticEntryRequest>>(context);
        if (request is null) return ManagementResults.BadRequest("expected a JSON array of {\"vni\": N, \"address\": \"A\"}");
        var entries = new List<StaticEntry>(request.Count);
        for (int i = 0; i < request.Count; i++)
        {
            if (request[i] is null || !TryParse(request[i], out var entry, out string? error))
                return ManagementResults.BadRequest($"entry {i + 1}: {(request[i] is null ? "missing" : Error(request[i]))}");
            entries.Add(entry);
        }
        var result = await registry.InvokeAsync(r => r.ReplaceStatic(entries), context.RequestAborted);
        return result.Succeeded ? ManagementResults.Ok(new StaticEntriesCount(entries.Distinct().Count())) : ToError(result);
    }

    private IResult GetStatus()
    {
        var o = options.Current;
        var counts = registryMetrics.Counts;
        var local = controlSocket.LocalEndPoint;
        return ManagementResults.Ok(new StatusResponse(
            DaemonVersion.Current,
            local?.Address.ToString() ?? o.ControlAddress,
            local?.Port ?? o.ControlPort,
            o.ManagementSocket,
            metrics?.Value.Endpoint ?? MetricsEndpointDefaults.ServiceNode,
            counts.Entries,
            counts.Vnis,
            new Dictionary<string, long>
            {
                ["registered"] = counts.Registered,
                ["relayed"] = counts.Relayed,
                ["learned"] = counts.Learned,
                ["static"] = counts.Static,
                ["evpn"] = counts.Evpn,
            },
            controlMetrics.RegistrationsReceived,
            controlMetrics.PeerListsPushed,
            controlMetrics.Dropped,
            Math.Round(time.GetElapsedTime(_started).TotalSeconds, 1),
            controlSocket.AnycastEndPoint?.Address.ToString(),
            cluster?.Get(),
            authentication?.State.ToString().ToLowerInvariant()));
    }

    internal static FdbEntryResponse ToResponse(EntryView e) => new(
        e.Vni,
        e.Address.ToString(),
        e.Remaining is { } r ? Math.Round(r.TotalSeconds, 1) : null,
        e.NodeId,
        e.Source.ToString().ToLowerInvariant());

    private static bool TryParse(StaticEntryRequest request, out StaticEntry entry, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        entry = default;
        error = Error(request);
        if (error is not null) return false;
        VtepAddress.TryParse(request.Address, out var address);
        entry = new StaticEntry(request.Vni, address);
        return true;
    }

    private static string? Error(StaticEntryRequest request)
    {
        if (request.Vni > RegistryLimits.MaxVni) return $"VNI must be 0-{RegistryLimits.MaxVni}";
        if (!VtepAddress.TryParse(request.Address, out var address) || address.IsUnusable)
            return $"'{request.Address}' is not a unicast IPv4 or IPv6 address";
        return null;
    }

    private static async Task<T?> ReadJson<T>(HttpContext context) where T : class
    {
        try
        {
            return await context.Request.ReadFromJsonAsync(ManagementJson.TypeInfo<T>(), context.RequestAborted);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IResult ToResult(RegistryResult result, StaticEntry entry) =>
        result.Succeeded ? ManagementResults.Ok(new StaticEntryRequest(entry.Vni, entry.Address.ToString())) : ToError(result);

    private static IResult ToError(RegistryResult result)
    {
        string message = result.Message ?? result.Error.ToString();
        return result.Error switch
        {
            RegistryError.NotFound => ManagementResults.NotFound(message),
            RegistryError.TooManyEntries or RegistryError.TooManyMembers => ManagementResults.Conflict(message),
            RegistryError.StorageFailed => ManagementResults.Unavailable(message),
            _ => ManagementResults.BadRequest(message),
        };
    }
}
