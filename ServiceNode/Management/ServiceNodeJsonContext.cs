using System.Text.Json.Serialization;
using Replicator.ServiceNode.Cluster;

namespace Replicator.ServiceNode.Management;

/// <summary>
/// Source-generated JSON metadata of vxsnd's management API and <c>--json</c> output (Native AOT
/// needs no reflection); registered with ManagementJson.AddTypes when vxsnd starts.
/// </summary>
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(List<FdbEntryResponse>))]
[JsonSerializable(typeof(HeapResponse))]
[JsonSerializable(typeof(StaticEntryRequest))]
[JsonSerializable(typeof(List<StaticEntryRequest>))]
[JsonSerializable(typeof(StaticEntriesCount))]
[JsonSerializable(typeof(ClusterStatusResponse))]
internal sealed partial class ServiceNodeJsonContext : JsonSerializerContext;
