namespace Replicator.ServiceNode.Cluster;

/// <summary>Stable log event ids of vxsnd's cluster feature (2300-2399); an id never changes meaning.</summary>
internal static class ClusterEventIds
{
    public const int SyncListening = 2301;
    public const int SyncServed = 2302;
    public const int SyncServeFailed = 2303;
    public const int SyncRefusedNotReady = 2304;
    public const int SyncStarted = 2310;
    public const int SyncMerged = 2311;
    public const int SyncAttemptFailed = 2312;
    public const int SyncNoPeer = 2313;
    public const int SyncNotNeeded = 2314;
    public const int RelayFromUnknown = 2320;
    public const int RelayEncodeFailed = 2321;
    public const int AnycastInstalled = 2330;
    public const int AnycastRemoved = 2331;
    public const int AnycastFailed = 2332;
    public const int AnycastStaleRemoved = 2333;
}
