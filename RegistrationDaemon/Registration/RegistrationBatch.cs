namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// One registration to send: every pair with the same hold time (zero withdraws). The channel
/// splits it into as many self-contained datagrams as the size limit needs.
/// </summary>
internal sealed record RegistrationBatch(TimeSpan HoldTime, IReadOnlyList<VniAddress> Entries, bool WantPeerLists)
{
    /// <summary>The peer-list generation held per VNI (0: none), sent as Register key 6 (PROTOCOL.md 5.2); null: not sent.</summary>
    public IReadOnlyDictionary<uint, uint>? Generations { get; init; }

    public bool IsWithdrawal => HoldTime == TimeSpan.Zero;
}
