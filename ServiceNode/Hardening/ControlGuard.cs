using Replicator.Hosting.Authentication;
using System.Net;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.Protocol.Control.Authentication;
using Replicator.Protocol.Control.RateLimiting;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// What the control receive loop asks before and after decoding a datagram: rate limits per source
/// and global (cheapest, first, so a flood costs no MAC or decode), then authentication, and after
/// decoding the cap on VNIs per source. Each refusal is a <see cref="ControlDropReason"/>, counted
/// by the caller. Without any option set it admits everything, as before.
/// </summary>
public sealed class ControlGuard
{
    private readonly ControlRateLimiter _rateLimiter;
    private readonly ControlAuthentication _authentication;
    private readonly SourceVniLimiter _vnis;
    private readonly HashSet<UInt128> _clusterPeers = [];

    /// <param name="cluster">Its <c>Peers</c> are exempt from the rate limits: they relay every VTEP's registrations.</param>
    public ControlGuard(IReloadableOptions<HardeningOptions> options, IReloadableOptions<ServiceNodeOptions> serviceNode,
        ControlAuthentication authentication, TimeProvider time, IReloadableOptions<ClusterOptions>? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serviceNode);
        ArgumentNullException.ThrowIfNull(time);
        _authentication = authentication ?? throw new ArgumentNullException(nameof(authentication));
        var o = options.Current;
        _rateLimiter = new ControlRateLimiter(
            RateLimit.PerSecondWithBurst(o.ControlRateLimitPerSource, o.ControlRateLimitBurstSeconds),
            RateLimit.PerSecondWithBurst(o.ControlRateLimitGlobal, o.ControlRateLimitBurstSeconds),
            o.ControlRateLimitMaxSources, time);
        _vnis = new SourceVniLimiter(o.MaxVnisPerSource, serviceNode.Current.MaxEntries, time);
        foreach (string peer in cluster?.Current.Peers ?? [])
            if (PeerAddress.TryParse(peer, out PeerAddress? parsed, out _)) _clusterPeers.Add(SourceKey.From(parsed.Address));
    }

    public ControlAuthentication Authentication => _authentication;

    /// <summary>
    /// Before decoding: null to go on, or why to drop. No allocation. An IPv4 source seen through
    /// a dual-stack socket (::ffff:a.b.c.d) is the same source as a.b.c.d.
    /// </summary>
    public ControlDropReason? Screen(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        UInt128 key = SourceKey.From(source.Address);
        switch (_clusterPeers.Contains(key) ? RateLimitVerdict.Allowed : _rateLimiter.TryAcquire(key))
        {
            case RateLimitVerdict.SourceLimited: return ControlDropReason.RateLimitedSource;
            case RateLimitVerdict.GlobalLimited: return ControlDropReason.RateLimitedGlobal;
        }
        return _authentication.Verify(datagram) switch
        {
            ControlVerification.Ok => null,
            ControlVerification.Unsigned => ControlDropReason.Unsigned,
            ControlVerification.UnknownKey => ControlDropReason.UnknownKey,
            ControlVerification.BadSignature => ControlDropReason.BadSignature,
            ControlVerification.Stale => ControlDropReason.Stale,
            _ => ControlDropReason.Replayed,
        };
    }

    /// <summary>After decoding a registration: false when it would take its source over <c>MaxVnisPerSource</c>.</summary>
    public bool AdmitRegistration(RegisterMessage register, IPEndPoint source) =>
        register.Relayed || _vnis.TryAdmit(register, source.Address);
}
