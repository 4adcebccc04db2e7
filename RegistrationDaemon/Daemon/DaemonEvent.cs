using Replicator.Linux.Links;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>One input for the daemon loop.</summary>
internal abstract record DaemonEvent
{
    public sealed record Links(LinkEvent Event) : DaemonEvent;

    public sealed record PeerList(PeerListUpdate Update) : DaemonEvent;

    public sealed record Settings(RuntimeSettings Value) : DaemonEvent;

    public sealed record Flush(TaskCompletionSource<int> Done) : DaemonEvent;

    /// <summary>Nothing to do: the systemd watchdog wakes the loop to see it go round.</summary>
    public sealed record Probe : DaemonEvent
    {
        public static readonly Probe Instance = new();
    }
}
