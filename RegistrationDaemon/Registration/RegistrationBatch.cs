namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// One registration to send: every pair with the same hold time (zero withdraws). The channel
/// splits it into as many self-contained datagrams as the size limit needs.
/// </summary>
internal sealed record RegistrationBatch(TimeSpan HoldTime, IReadOnlyList<VniAddress> Entries, bool WantPeerLists)
{
    public bool IsWithdrawal => HoldTime == TimeSpan.Zero;
}
