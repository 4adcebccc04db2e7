namespace Replicator.ServiceNode.Registry;

/// <summary>The reloadable bounds the registry enforces.</summary>
/// <param name="MaxEntries">Most entries in total.</param>
/// <param name="MaxMembersPerVni">Most members of one VNI.</param>
/// <param name="LearnHoldTime">Hold time of learned entries.</param>
/// <param name="AllowLoopback">Loopback addresses may be VTEPs (single-host tests only: <c>AllowLoopbackVteps</c>).</param>
internal sealed record RegistryLimits(int MaxEntries, int MaxMembersPerVni, TimeSpan LearnHoldTime, bool AllowLoopback = false)
{
    public const uint MaxVni = 0xFF_FFFF;

    /// <summary>Longest hold time the registry accepts: one day (the wire allows 32 bits of seconds; longer is surely a bug).</summary>
    public static readonly TimeSpan MaxHoldTime = TimeSpan.FromDays(1);
}
