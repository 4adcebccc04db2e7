namespace Replicator.RegistrationDaemon;

/// <summary>
/// Stable log event ids of vxrd: 5000-5999, one block per feature (the scheme of both daemons is
/// in <see cref="Hosting.Logging.EventIdRanges"/> and docs/observability.md, "Log event ids"); each
/// keeps the last three digits it had before the scheme (216 became 5216). An id never changes
/// meaning; a retired id is not reused.
/// </summary>
internal static class RegistrationDaemonEventIds
{
    // Registration 5200-5299
    public const int RegistrationSent = 5200;
    public const int RegistrationWithdrawn = 5201;
    public const int ServiceNodeUnreachable = 5202;
    public const int ServiceNodeReachableAgain = 5203;
    public const int ServiceNodeAnswered = 5204;
    public const int RegistrationEncodeFailed = 5210;
    public const int ControlSendFailed = 5211;
    public const int ControlMalformed = 5212;
    public const int ControlForeignSender = 5216;

    // Reconcile 5300-5399
    public const int FdbDumpFailed = 5300;
    public const int FdbOperationFailed = 5301;
    public const int DestinationsAdopted = 5302;
    public const int DriftRepaired = 5303;
    public const int DeviceReprogrammed = 5304;
    public const int ProgrammingNotConfirmed = 5305;

    // Daemon core 5400-5499
    public const int DeviceManaged = 5400;
    public const int DeviceReleased = 5401;
    public const int ForeignPeerList = 5402;
    public const int ModeChanged = 5403;
    public const int DestinationsFlushed = 5404;
    public const int FamilyMismatch = 5405;
    public const int Relearning = 5406;
    public const int PeersRefused = 5407;
    public const int TooManyPeers = 5408;

    // Daemon loop 5500-5599
    public const int StepFailed = 5500;
    public const int PumpFailed = 5501;
    public const int PumpEnded = 5502;
    public const int LoopStopped = 5503;
}
