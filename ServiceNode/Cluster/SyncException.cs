namespace Replicator.ServiceNode.Cluster;

/// <summary>A table transfer from a peer that did not complete (closed early, malformed, too large).</summary>
internal sealed class SyncException(string message, Exception? inner = null) : Exception(message, inner);
