namespace Replicator.ServiceNode.Hardening;

/// <summary>Whether a datagram may go to an address (<see cref="ReturnBudgetTable.TrySpend"/>).</summary>
internal enum ReturnVerdict
{
    /// <summary>The address proved it receives: send, nothing is counted.</summary>
    Proven,
    /// <summary>Not proven, but its credit covered the bytes, which are now spent.</summary>
    Credited,
    /// <summary>Not proven and not enough credit: do not send.</summary>
    Withheld,
}
