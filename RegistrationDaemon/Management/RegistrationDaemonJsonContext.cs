using System.Text.Json.Serialization;
using Replicator.RegistrationDaemon.Daemon;

namespace Replicator.RegistrationDaemon.Management;

/// <summary>
/// Source-generated JSON metadata of vxrd's management API and <c>--json</c> output (Native AOT
/// needs no reflection); registered with ManagementJson.AddTypes when vxrd starts.
/// </summary>
[JsonSerializable(typeof(IReadOnlyList<DeviceView>))]
[JsonSerializable(typeof(List<DeviceView>))]
[JsonSerializable(typeof(IReadOnlyList<PeerView>))]
[JsonSerializable(typeof(List<PeerView>))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(FlushResult))]
internal sealed partial class RegistrationDaemonJsonContext : JsonSerializerContext;
