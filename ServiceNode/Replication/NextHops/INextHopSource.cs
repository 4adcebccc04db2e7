namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// Where the data plane's packet path reads next hops from. Written by one tracker thread that
/// follows the kernel's route, neighbour and link tables; read by the replication workers, which
/// take <see cref="Current"/> once per receive batch and rebuild their prebuilt frames only when
/// its <see cref="NextHopSnapshot.Version"/> changed.
/// </summary>
internal interface INextHopSource
{
    /// <summary>The latest immutable snapshot; never null (empty before the first resolution).</summary>
    NextHopSnapshot Current { get; }
}
