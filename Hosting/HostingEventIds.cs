namespace Replicator.Hosting;

/// <summary>Stable log event ids of the shared hosting library (1000-1999); ids never change meaning.</summary>
internal static class HostingEventIds
{
    // Configuration
    public const int OptionsReloadRejected = 1001;
    public const int OptionsReloaded = 1002;
    public const int OptionsListenerFailed = 1003;
    public const int ConfigurationFileReloadFailed = 1004;
    public const int ConfigurationFileReloaded = 1005;
    public const int StartupFailed = 1006;
    public const int ServiceFaulted = 1007;

    // Management socket
    public const int StaleSocketRemoved = 1101;
    public const int ManagementListening = 1102;
    public const int ManagementRequestFailed = 1103;
    public const int ManagementStopped = 1104;
}
