namespace Replicator.Hosting;

/// <summary>
/// Stable log event ids of the shared hosting library: 1000-1999, one block of 100 per feature
/// (the scheme of both daemons is in <see cref="Logging.EventIdRanges"/> and docs/observability.md,
/// "Log event ids"). An id never changes meaning; a retired id is not reused.
/// </summary>
internal static class HostingEventIds
{
    // Configuration and the daemon host 1000-1099
    public const int OptionsReloadRejected = 1001;
    public const int OptionsReloaded = 1002;
    public const int OptionsListenerFailed = 1003;
    public const int ConfigurationFileReloadFailed = 1004;
    public const int ConfigurationFileReloaded = 1005;
    public const int StartupFailed = 1006;
    public const int ServiceFaulted = 1007;

    // Management socket 1100-1199
    public const int StaleSocketRemoved = 1101;
    public const int ManagementListening = 1102;
    public const int ManagementRequestFailed = 1103;
    public const int ManagementStopped = 1104;

    // Control-message authentication 1200-1299
    public const int KeysLoaded = 1201;
    public const int KeysReloadFailed = 1202;
    public const int KeyFileTooOpen = 1203;
    public const int AuthenticationOff = 1204;
    public const int AuthenticationTransitional = 1205;

    // Metrics and health listener, OTLP export 1300-1399 (were 7001-7007)
    public const int MetricsListening = 1301;
    public const int MetricsListenerDisabled = 1302;
    public const int MetricsListenFailed = 1303;
    // 1304 and 1305 (7004, 7005: scrape failed, instrument skipped) belonged to our own exposition; retired.
    public const int OtlpEnabled = 1306;
    public const int MetricsListenerExposed = 1307;

    // systemd notification and watchdog 1400-1499 (were 7101-7106)
    public const int NotUnderSystemd = 1401;
    public const int SystemdNotified = 1402;
    public const int SystemdNotifyFailed = 1403;
    public const int WatchdogEnabled = 1404;
    public const int WatchdogLoopsStalled = 1405;
    public const int WatchdogLoopsRecovered = 1406;
}
