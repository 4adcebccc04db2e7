namespace Replicator.ServiceNode.Registry;

/// <summary>The reloadable bounds the registry enforces.</summary>
/// <param name="MaxEntries">Most entries in total.</param>
/// <param name="MaxMembersPerVni">Most members of one VNI.</param>
/// <param name="LearnHoldTime">Hold time of learned entries.</param>
public sealed record RegistryLimits(int MaxEntries, int MaxMembersPerVni, TimeSpan LearnHoldTime)
{
    public const uint MaxVni = 0xFF_FFFF;

    /// <summary>Longest hold time a registration may carry (16 bits of seconds on the wire).</summary>
    public static readonly TimeSpan MaxHoldTime = TimeSpan.FromSeconds(65535);
}
