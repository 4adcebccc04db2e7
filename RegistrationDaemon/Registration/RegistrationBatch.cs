namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// One registration to send: every pair with the same hold time (zero withdraws). The channel
/// splits it into as many self-contained datagrams as the size limit needs.
/// </summary>
internal sealed record RegistrationBatch(TimeSpan HoldTime, IReadOnlyList<VniAddress> Entries, bool WantPeerLists)
{
    /// <summary>The peer-list generation held per VNI (0: none), sent as Register key 6 (PROTOCOL.md 5.2); null: not sent.</summary>
    public IReadOnlyDictionary<uint, uint>? Generations { get; init; }

    /// <summary>
    /// Name the newest incomplete split peer list and the parts held (Register key 7, PROTOCOL.md 5.2), so
    /// the answer brings only the missing parts and the changes since; the channel, which holds the parts, fills it in.
    /// </summary>
    public bool NameIncompleteList { get; init; }

    public bool IsWithdrawal => HoldTime == TimeSpan.Zero;
}
