namespace Replicator.ServiceNode;

/// <summary>
/// Stable log event ids of vxsnd: 2000-2999, one block per feature (the scheme of both daemons is
/// in <see cref="Hosting.Logging.EventIdRanges"/> and docs/observability.md, "Log event ids"). An
/// id never changes meaning; a retired id is not reused.
/// </summary>
internal static class ServiceNodeEventIds
{
    // Registry 2000-2049
    public const int NodeRestarted = 2001;
    public const int EntriesExpired = 2002;
    public const int StaticEntriesLoaded = 2003;
    public const int RegistryWorkFailed = 2004;
    public const int LearnQueueOverflow = 2005;
    public const int OwnEntriesHidden = 2006;

    public const int StaticEntriesCompactionFailed = 2040;
    public const int StaticEntriesLeftoverRemoved = 2041;
    public const int StaticEntriesJournalTorn = 2042;

    // Own addresses 2050-2099
    public const int OwnAddressesChanged = 2050;
    public const int OwnAddressesWatchFailed = 2051;

    // Control 2100-2199
    public const int ControlListening = 2101;
    public const int ControlDatagramDropped = 2102;
    public const int ControlReceiveFailed = 2103;
    public const int ControlSendFailed = 2104;
    public const int RegistrationRejected = 2105;
    public const int ControlListeningAnycast = 2106;

    // Replication (data plane) 2200-2299 (were 5000-5004)
    public const int ReplicationDisabled = 2200;
    public const int ReplicationStarted = 2201;
    public const int ReplicationStartFailed = 2202;
    public const int ReplicationStopped = 2203;
    public const int ReplicationReceiveFailed = 2204;
    public const int ReplicationPacketPathUnavailable = 2205;
    public const int ReplicationPacketRingUnavailable = 2206;

    // Next-hop tracking (data plane) 2260-2269
    public const int NextHopTrackerStarted = 2260;
    public const int NextHopResync = 2261;
    public const int NextHopWatchFailed = 2262;
    public const int NextHopDestinationsCapped = 2263;
    public const int NextHopChanged = 2264;

    // Cluster 2300-2399
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

    // BGP speaker 2400-2449
    public const int BgpStarted = 2400;
    public const int BgpEstablished = 2401;
    public const int BgpSessionClosed = 2402;
    public const int BgpConnectFailed = 2403;
    public const int BgpRouteLimit = 2404;
    public const int BgpListenerFailed = 2405;
    public const int BgpTreatAsWithdraw = 2406;
    public const int BgpExportOverflow = 2407;

    // EVPN bridge 2500-2549
    public const int EvpnBridgeStarted = 2500;
    public const int EvpnRouteDropped = 2501;
    public const int EvpnRouteFiltered = 2502;
    public const int EvpnSessionLost = 2503;
    public const int EvpnStaleRemoved = 2504;
    public const int EvpnRouteDistinguisherCollision = 2505;
}
