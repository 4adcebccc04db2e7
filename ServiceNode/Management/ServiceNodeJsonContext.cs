using System.Text.Json.Serialization;
using Replicator.ServiceNode.Bgp;
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
[JsonSerializable(typeof(BgpStatusResponse))]
internal sealed partial class ServiceNodeJsonContext : JsonSerializerContext;
