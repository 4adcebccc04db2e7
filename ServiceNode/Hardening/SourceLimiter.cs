using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening.RateLimiting;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Caps what one source address holds: the VNIs it has registrations in (<c>MaxVnisPerSource</c>),
/// so a single host cannot spread itself over the whole VNI space and make every push an amplifier,
/// and its (VNI, address) entries (<c>MaxEntriesPerSource</c>), so a single host cannot take the
/// registry's global table from everyone else. Soft state like the registry: a pair counts until
/// its hold time passes or it is withdrawn; a VNI counts while any of the source's pairs in it does.
/// A registration that would exceed a cap is refused whole, with the limit it hit. Memory is bounded
/// by <paramref name="maxPairs"/> (the registry's <c>MaxEntries</c>) in total; when all sources
/// together hold that many, the refusal is "table full", not a per-source limit. Used by the
/// control receive loop only (single-threaded).
/// </summary>
/// <param name="maxVnisPerSource">0 = no VNI cap.</param>
/// <param name="maxEntriesPerSource">0 = no entry cap.</param>
internal sealed class SourceLimiter(int maxVnisPerSource, int maxEntriesPerSource, int maxPairs, TimeProvider time)
{
    private readonly Dictionary<UInt128, SourceState> _sources = new();
    private readonly long _epoch = time.GetTimestamp();
    private int _pairs;

    public bool Enabled => maxVnisPerSource > 0 || maxEntriesPerSource > 0;

    /// <summary>Pairs tracked now (tests).</summary>
    public int Pairs => _pairs;

    /// <summary>
    /// Admits (and records) one decoded, not relayed registration from <paramref name="source"/>:
    /// null; or refuses it whole: <see cref="ControlDropReason.VniLimit"/>,
    /// <see cref="ControlDropReason.EntryLimit"/> or <see cref="ControlDropReason.TableFull"/>.
    /// </summary>
    public ControlDropReason? TryAdmit(RegisterMessage register, IPAddress source)
    {
        if (!Enabled) return null;
        long now = Now;
        UInt128 key = SourceKey.From(source);
        if (!_sources.TryGetValue(key, out SourceState? state))
        {
            if (register.HoldTimeSeconds == 0) return null; // withdrawing what we never counted
            state = new SourceState();
            _sources.Add(key, state);
        }
        state.Expire(now, ref _pairs);
        if (register.HoldTimeSeconds == 0)
        {
            foreach (var v in register.Vnis)
                foreach (var a in v.Addresses) state.Remove(v.Vni, SourceKey.From(a), ref _pairs);
        }
        else
        {
            int added = 0;
            int newPairs = 0;
            foreach (var v in register.Vnis)
            {
                if (!state.HasVni(v.Vni)) added++;
                foreach (var a in v.Addresses) if (!state.Has(v.Vni, SourceKey.From(a))) newPairs++;
            }
            if (maxVnisPerSource > 0 && state.VniCount + added > maxVnisPerSource) return Forget(key, state, ControlDropReason.VniLimit);
            if (maxEntriesPerSource > 0 && (long)state.PairCount + newPairs > maxEntriesPerSource) return Forget(key, state, ControlDropReason.EntryLimit);
            if ((long)_pairs + newPairs > maxPairs)
            {
                ExpireAll(now);
                if ((long)_pairs + newPairs > maxPairs) return Forget(key, state, ControlDropReason.TableFull);
            }
            // The registry refuses hold times over MaxHoldTime, but only later, on its loop: never let a
            // refused one reserve pairs here for longer than any registration can live.
            double hold = Math.Min(register.HoldTimeSeconds, Registry.RegistryLimits.MaxHoldTime.TotalSeconds);
            long expires = now + (long)(hold * time.TimestampFrequency);
            foreach (var v in register.Vnis)
                foreach (var a in v.Addresses) state.Set(v.Vni, SourceKey.From(a), expires, ref _pairs);
        }
        return Forget(key, state, null);
    }

    private long Now => time.GetTimestamp() - _epoch;

    private ControlDropReason? Forget(UInt128 key, SourceState state, ControlDropReason? refused)
    {
        if (state.VniCount == 0) _sources.Remove(key);
        return refused;
    }

    private void ExpireAll(long now)
    {
        List<UInt128>? empty = null;
        foreach (var (key, state) in _sources)
        {
            state.Expire(now, ref _pairs);
            if (state.VniCount == 0) (empty ??= []).Add(key);
        }
        if (empty is not null) foreach (var key in empty) _sources.Remove(key);
    }

    private sealed class SourceState
    {
        private readonly Dictionary<(uint Vni, UInt128 Address), long> _expiry = new();
        private readonly Dictionary<uint, int> _pairsPerVni = new();

        public int VniCount => _pairsPerVni.Count;

        public int PairCount => _expiry.Count;

        public bool HasVni(uint vni) => _pairsPerVni.ContainsKey(vni);

        public bool Has(uint vni, UInt128 address) => _expiry.ContainsKey((vni, address));

        public void Set(uint vni, UInt128 address, long expires, ref int pairs)
        {
            if (_expiry.TryAdd((vni, address), expires))
            {
                _pairsPerVni[vni] = _pairsPerVni.GetValueOrDefault(vni) + 1;
                pairs++;
            }
            else
            {
                _expiry[(vni, address)] = expires;
            }
        }

        public void Remove(uint vni, UInt128 address, ref int pairs)
        {
            if (!_expiry.Remove((vni, address))) return;
            pairs--;
            int left = _pairsPerVni[vni] - 1;
            if (left == 0) _pairsPerVni.Remove(vni); else _pairsPerVni[vni] = left;
        }

        public void Expire(long now, ref int pairs)
        {
            List<(uint, UInt128)>? expired = null;
            foreach (var (pair, expires) in _expiry) if (expires <= now) (expired ??= []).Add(pair);
            if (expired is null) return;
            foreach (var (vni, address) in expired) Remove(vni, address, ref pairs);
        }
    }
}
