using System.Text.Json.Serialization;

namespace Replicator.Hosting.Management;

/// <summary>Source-generated JSON metadata of the management API's own types (Native AOT needs no reflection).</summary>
[JsonSerializable(typeof(ManagementError))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
