using System.Net;
using Replicator.Hosting.Addressing;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening.RateLimiting;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// What the control receive loop asks before and after decoding a datagram: rate limits per source
/// and global (cheapest, first, so a flood costs no MAC or decode), then authentication, and after
/// decoding what an unsigned registration may do (only its own source address; relays only from a
/// cluster peer) and the caps per source (VNIs, entries). Each refusal is a
/// <see cref="ControlDropReason"/>, counted by the caller.
/// </summary>
internal sealed class ControlGuard
{
    private readonly ControlRateLimiter _rateLimiter;
    private readonly ControlAuthentication _authentication;
    private readonly SourceLimiter _limits;
    private readonly HashSet<UInt128> _clusterPeers = [];
    private readonly string[] _details;

    /// <param name="cluster">
    /// Its <c>Peers</c> are exempt from the rate limits (they relay every VTEP's registrations), and
    /// the only sources an unsigned relayed registration is accepted from.
    /// </param>
    public ControlGuard(IReloadableOptions<ControlLimitsOptions> options, IReloadableOptions<RegistryOptions> registry,
        ControlAuthentication authentication, TimeProvider time, IReloadableOptions<ClusterOptions>? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        _authentication = authentication ?? throw new ArgumentNullException(nameof(authentication));
        var o = options.Current;
        _rateLimiter = new ControlRateLimiter(
            RateLimit.PerSecondWithBurst(o.ControlRateLimitPerSource, o.ControlRateLimitBurstSeconds),
            RateLimit.PerSecondWithBurst(o.ControlRateLimitGlobal, o.ControlRateLimitBurstSeconds),
            o.ControlRateLimitMaxSources, time);
        int maxEntries = registry.Current.MaxEntries;
        _limits = new SourceLimiter(o.MaxVnisPerSource, o.MaxEntriesPerSource, maxEntries, time);
        foreach (string peer in cluster?.Current.Peers ?? [])
            if (PeerAddress.TryParse(peer, out PeerAddress? parsed, out _)) _clusterPeers.Add(SourceKey.From(parsed.Address));
        // Built once (the options are read at start): a flood of refusals allocates no text.
        _details = new string[ControlDropReasons.Tags.Length];
        _details[(int)ControlDropReason.SourceMismatch] =
            "unsigned registration names an address other than its source address (without a signature only the sender's own address may be registered or withdrawn)";
        _details[(int)ControlDropReason.RelayNotPeer] =
            $"relayed registration from a source that is not in {ClusterOptions.SectionName}:Peers (only cluster peers relay, signed or not)";
        _details[(int)ControlDropReason.VniLimit] =
            $"the registration would take its source over {ControlLimitsOptions.SectionName}:MaxVnisPerSource ({o.MaxVnisPerSource} VNIs)";
        _details[(int)ControlDropReason.EntryLimit] =
            $"the registration would take its source over {ControlLimitsOptions.SectionName}:MaxEntriesPerSource ({o.MaxEntriesPerSource} entries)";
        _details[(int)ControlDropReason.TableFull] =
            $"all sources together hold {RegistryOptions.SectionName}:MaxEntries ({maxEntries}) entries: the table is full";
    }

    public ControlAuthentication Authentication => _authentication;

    /// <summary>
    /// Before decoding: null to go on, or why to drop. No allocation. An IPv4 source seen through
    /// a dual-stack socket (::ffff:a.b.c.d) is the same source as a.b.c.d.
    /// </summary>
    public ControlDropReason? Screen(ReadOnlySpan<byte> datagram, IPEndPoint source) => Screen(datagram, source, out _);

    /// <summary>
    /// <see cref="Screen(ReadOnlySpan{byte}, IPEndPoint)"/>, telling whether the datagram carried a
    /// signature that verified (<paramref name="authenticated"/>; false whenever no key file is in
    /// force, and for an unsigned datagram admitted beside signed ones).
    /// </summary>
    public ControlDropReason? Screen(ReadOnlySpan<byte> datagram, IPEndPoint source, out bool authenticated)
    {
        authenticated = false;
        UInt128 key = SourceKey.From(source.Address);
        switch (_clusterPeers.Contains(key) ? RateLimitVerdict.Allowed : _rateLimiter.TryAcquire(key))
        {
            case RateLimitVerdict.SourceLimited: return ControlDropReason.RateLimitedSource;
            case RateLimitVerdict.GlobalLimited: return ControlDropReason.RateLimitedGlobal;
        }
        // Ok alone is not a signature: authentication off, or an unsigned datagram in the transitional state.
        var verdict = _authentication.Verify(datagram, out authenticated);
        return verdict switch
        {
            ControlVerification.Ok => null,
            ControlVerification.Unsigned => ControlDropReason.Unsigned,
            ControlVerification.UnknownKey => ControlDropReason.UnknownKey,
            ControlVerification.BadSignature => ControlDropReason.BadSignature,
            ControlVerification.Stale => ControlDropReason.Stale,
            _ => ControlDropReason.Replayed,
        };
    }

    /// <summary>
    /// After decoding a registration: null to apply it, or why to drop it whole. A relayed
    /// registration must come from a cluster peer; without a signature any other must name no address but
    /// its source's (IPv4-mapped counts as IPv4): so an unsigned datagram from X can neither
    /// register, withdraw nor re-own (new node id) an entry of another address. Then the caps per
    /// source (relayed registrations are exempt: a peer relays every VTEP's).
    /// </summary>
    public ControlDropReason? AdmitRegistration(RegisterMessage register, IPEndPoint source, bool authenticated)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(source);
        // Only a cluster peer relays, signed or not: a key holder marking its own registrations
        // relayed would otherwise slip past the per-source caps, which relays are exempt from.
        if (register.Relayed)
            return _clusterPeers.Contains(SourceKey.From(source.Address)) ? null : ControlDropReason.RelayNotPeer;
        if (!authenticated && !NamesOnly(register, AddressPolicy.Normalize(source.Address))) return ControlDropReason.SourceMismatch;
        return _limits.TryAdmit(register, source.Address);
    }

    /// <summary>An operator's sentence for a refusal of <see cref="AdmitRegistration"/>: names the rule or the key and its value.</summary>
    public string Describe(ControlDropReason reason) => _details[(int)reason] ?? ControlDropReasons.Tags[(int)reason];

    private static bool NamesOnly(RegisterMessage register, IPAddress own)
    {
        var vnis = register.Vnis;
        for (int i = 0; i < vnis.Count; i++)
        {
            var addresses = vnis[i].Addresses;
            for (int j = 0; j < addresses.Count; j++)
                if (!AddressPolicy.Normalize(addresses[j]).Equals(own)) return false;
        }
        return true;
    }
}
