namespace Replicator.ServiceNode;

/// <summary>Stable log event ids of vxsnd's control plane (2000-2999); an id never changes meaning.</summary>
internal static class ServiceNodeEventIds
{
    // Registry 2000-2099
    public const int NodeRestarted = 2001;
    public const int EntriesExpired = 2002;
    public const int StaticEntriesLoaded = 2003;
    public const int RegistryWorkFailed = 2004;
    public const int LearnQueueOverflow = 2005;
    public const int OwnEntriesHidden = 2006;

    public const int StaticEntriesCompactionFailed = 2040;
    public const int StaticEntriesLeftoverRemoved = 2041;
    public const int StaticEntriesJournalTorn = 2042;

    // Own addresses 2050-2059
    public const int OwnAddressesChanged = 2050;
    public const int OwnAddressesWatchFailed = 2051;

    // Control 2100-2199
    public const int ControlListening = 2101;
    public const int ControlDatagramDropped = 2102;
    public const int ControlReceiveFailed = 2103;
    public const int ControlSendFailed = 2104;
    public const int RegistrationRejected = 2105;
    public const int ControlListeningAnycast = 2106;
}
