using System.Net;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Hardening.RateLimiting;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// No amplification towards forged sources (docs/security.md, "Return routability"). Without
/// authentication anyone can put a victim's address as the source of a 17-byte registration; so
/// an address gets at most <see cref="CreditFactor"/> times the control bytes it sent us until it
/// proves that it receives what we send, by echoing the cookie of a peer list (PROTOCOL.md 5.1).
/// Proof lasts as long as the cookie verifies, or the hold time of the registration that carried
/// it if longer; a registration without a valid cookie does not revoke it (anyone could forge one).
/// With authentication on, every accepted datagram is signed and this is off: no cookie, no limit.
/// The receive loop credits (<see cref="OnRegistration"/>), the registry loop spends (through
/// <c>PeerListSender</c>); thread-safe, nothing allocated per datagram.
/// </summary>
internal sealed class ReturnRoutability
{
    /// <summary>Bytes an unproven address may receive per byte it sent.</summary>
    public const int CreditFactor = 3;

    private readonly ReturnCookies _cookies;
    private readonly ReturnBudgetTable _table;
    private readonly ReturnRoutabilityMetrics _metrics;
    private readonly TimeProvider _time;

    public ReturnRoutability(IReloadableOptions<ControlLimitsOptions> options, ControlAuthentication authentication, ReturnRoutabilityMetrics metrics, TimeProvider time)
        : this(options?.Current.ControlRateLimitMaxSources ?? throw new ArgumentNullException(nameof(options)),
            // Transitional (keys and AllowUnauthenticated) admits unsigned datagrams too: they are budgeted like with no keys.
            (authentication ?? throw new ArgumentNullException(nameof(authentication))).State != ControlAuthenticationState.On,
            metrics, time, new ReturnCookies())
    {
    }

    /// <param name="maxAddresses">Addresses tracked (proven, and separately credited); <c>ControlRateLimitMaxSources</c>.</param>
    /// <param name="enabled">False when every accepted datagram is signed (authentication on, not transitional).</param>
    internal ReturnRoutability(int maxAddresses, bool enabled, ReturnRoutabilityMetrics metrics, TimeProvider time, ReturnCookies cookies)
    {
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _cookies = cookies ?? throw new ArgumentNullException(nameof(cookies));
        _table = new ReturnBudgetTable(maxAddresses, ReturnCookies.EpochSeconds);
        Enabled = enabled;
    }

    /// <summary>False when authentication is on and unsigned datagrams are refused: everything then behaves as before.</summary>
    public bool Enabled { get; }

    public ReturnRoutabilityMetrics Metrics => _metrics;

    internal ReturnBudgetTable Table => _table;

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// A registration of <paramref name="datagramBytes"/> arrived from <paramref name="source"/>:
    /// credit the source, and prove it when the registration echoes its valid cookie. Relayed
    /// registrations come from cluster peers, which get no answers: ignored. A signed registration
    /// (transitional state) proves its source for its hold time: a key holder is trusted as before.
    /// </summary>
    public void OnRegistration(RegisterMessage register, IPAddress source, int datagramBytes, bool authenticated = false)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(source);
        if (!Enabled || register.Relayed) return;
        long now = Now;
        UInt128 key = SourceKey.From(source);
        if (authenticated)
        {
            Prove(key, now + Math.Max(HoldSeconds(register), ReturnCookies.EpochSeconds), now);
            return;
        }
        bool valid = register.Cookie is { } cookie && _cookies.Verify(cookie, key, now, out long validUntil)
            && Prove(key, Math.Max(validUntil, now + HoldSeconds(register)), now);
        _metrics.Cookie(register.Cookie is not null, valid);
        _table.AddCredit(key, (long)CreditFactor * datagramBytes, now);
    }

    /// <summary>The cookie to give <paramref name="destination"/> now.</summary>
    public UInt128 CookieFor(IPAddress destination) => _cookies.Mint(SourceKey.From(destination), Now);

    /// <summary>Has <paramref name="destination"/> proven it receives (spends nothing)?</summary>
    public bool IsProven(IPAddress destination) => !Enabled || _table.IsProven(SourceKey.From(destination), Now);

    /// <summary>May <paramref name="bytes"/> go to <paramref name="destination"/> (spending its credit when not proven)?</summary>
    public ReturnVerdict TrySpend(IPAddress destination, long bytes) =>
        Enabled ? _table.TrySpend(SourceKey.From(destination), bytes, Now) : ReturnVerdict.Proven;

    // No proof outlives the longest registration the registry accepts (a hold of 2^32 s would be forever).
    private static long HoldSeconds(RegisterMessage register) =>
        Math.Min(register.HoldTimeSeconds, (long)Registry.RegistryLimits.MaxHoldTime.TotalSeconds);

    private bool Prove(UInt128 key, long until, long now)
    {
        _table.Prove(key, until, now);
        return true;
    }
}
