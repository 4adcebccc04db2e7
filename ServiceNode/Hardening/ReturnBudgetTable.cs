namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Per-address state of return routability: until when an address is proven, and the byte credit
/// of the others. Both maps hold at most <c>maxAddresses</c> entries, so a flood from
/// spoofed sources churns the credits (a spoofed source never proves anything, so it cannot push a
/// proven VTEP out) without growing memory. A credit lives one window from its first byte, then
/// starts again from zero, so bytes received long ago cannot be saved up for a burst. Times are
/// unix seconds. Thread-safe: the control receive loop credits, the registry loop spends.
/// </summary>
internal sealed class ReturnBudgetTable
{
    private const int InitialCapacity = 1024;

    private readonly Dictionary<UInt128, long> _provenUntil;
    private readonly Dictionary<UInt128, Credit> _credits;
    private readonly int _max;
    private readonly long _creditSeconds;
    private readonly Lock _gate = new();

    public ReturnBudgetTable(int maxAddresses, long creditSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAddresses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(creditSeconds, 1);
        _max = maxAddresses;
        _creditSeconds = creditSeconds;
        // Grown on demand up to the bound (rarely, and never again once there): a large bound costs nothing until used.
        _provenUntil = new Dictionary<UInt128, long>(Math.Min(maxAddresses, InitialCapacity));
        _credits = new Dictionary<UInt128, Credit>(Math.Min(maxAddresses, InitialCapacity));
    }

    /// <summary>Addresses with a proof or a credit now (tests, status).</summary>
    public (int Proven, int Credited) Count { get { lock (_gate) return (_provenUntil.Count, _credits.Count); } }

    /// <summary>Marks <paramref name="address"/> proven until <paramref name="until"/> (never shortens a proof).</summary>
    public void Prove(UInt128 address, long until, long now)
    {
        lock (_gate)
        {
            if (_provenUntil.TryGetValue(address, out long current))
            {
                if (until > current) _provenUntil[address] = until;
                return;
            }
            if (_provenUntil.Count >= _max) MakeRoom(_provenUntil, static (until, now) => until <= now, now);
            _provenUntil[address] = until;
        }
    }

    public bool IsProven(UInt128 address, long now)
    {
        lock (_gate) return ProvenLocked(address, now);
    }

    /// <summary>Adds <paramref name="bytes"/> to the address's credit.</summary>
    public void AddCredit(UInt128 address, long bytes, long now)
    {
        lock (_gate)
        {
            if (_credits.TryGetValue(address, out Credit credit) && credit.Until > now)
            {
                _credits[address] = credit with { Bytes = credit.Bytes + bytes };
                return;
            }
            if (!_credits.ContainsKey(address) && _credits.Count >= _max) MakeRoom(_credits, static (c, now) => c.Until <= now, now);
            _credits[address] = new Credit(bytes, now + _creditSeconds);
        }
    }

    /// <summary>
    /// May <paramref name="bytes"/> go to <paramref name="address"/>? Yes when it is proven (nothing is
    /// spent) or its credit covers them (they are spent); otherwise no, and nothing changes.
    /// </summary>
    public ReturnVerdict TrySpend(UInt128 address, long bytes, long now)
    {
        lock (_gate)
        {
            if (ProvenLocked(address, now)) return ReturnVerdict.Proven;
            if (!_credits.TryGetValue(address, out Credit credit) || credit.Until <= now || credit.Bytes < bytes) return ReturnVerdict.Withheld;
            _credits[address] = credit with { Bytes = credit.Bytes - bytes };
            return ReturnVerdict.Credited;
        }
    }

    /// <summary>The credit left (tests).</summary>
    public long CreditOf(UInt128 address, long now)
    {
        lock (_gate) return _credits.TryGetValue(address, out Credit c) && c.Until > now ? c.Bytes : 0;
    }

    private bool ProvenLocked(UInt128 address, long now) => _provenUntil.TryGetValue(address, out long until) && until > now;

    // Full: drop what has expired; when that frees less than an eighth, drop arbitrary entries up
    // to an eighth as well, so a table under a flood pays one sweep per max/8 insertions.
    private void MakeRoom<T>(Dictionary<UInt128, T> map, Func<T, long, bool> expired, long now)
    {
        int target = _max - Math.Max(1, _max / 8);
        foreach (var (key, value) in map)
        {
            if (expired(value, now)) map.Remove(key);
        }
        if (map.Count <= target) return;
        foreach (var key in map.Keys)
        {
            map.Remove(key);
            if (map.Count <= target) break;
        }
    }

    private readonly record struct Credit(long Bytes, long Until);
}
