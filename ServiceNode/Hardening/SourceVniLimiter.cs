using System.Net;
using Replicator.Protocol.Control;
using Replicator.Protocol.Control.RateLimiting;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Caps the VNIs one source address holds registrations in (<c>MaxVnisPerSource</c>), so a single
/// host cannot spread itself over the whole VNI space and make every push an amplifier. Soft state
/// like the registry: a (VNI, address) pair counts until its hold time passes or it is withdrawn;
/// a VNI counts while any of the source's pairs in it does. A registration that would exceed the
/// cap is refused whole. Memory is bounded by <paramref name="maxPairs"/> in total. Used by the
/// control receive loop only (single-threaded).
/// </summary>
internal sealed class SourceVniLimiter(int maxVnisPerSource, int maxPairs, TimeProvider time)
{
    private readonly Dictionary<UInt128, SourceState> _sources = new();
    private readonly long _epoch = time.GetTimestamp();
    private int _pairs;

    public bool Enabled => maxVnisPerSource > 0;

    /// <summary>Pairs tracked now (tests).</summary>
    public int Pairs => _pairs;

    /// <summary>Admits (and records) or refuses one decoded, not relayed registration from <paramref name="source"/>.</summary>
    public bool TryAdmit(RegisterMessage register, IPAddress source)
    {
        if (!Enabled) return true;
        long now = Now;
        UInt128 key = SourceKey.From(source);
        if (!_sources.TryGetValue(key, out SourceState? state))
        {
            if (register.HoldTimeSeconds == 0) return true; // withdrawing what we never counted
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
            if (state.VniCount + added > maxVnisPerSource) return Forget(key, state, refused: true);
            if (_pairs + newPairs > maxPairs)
            {
                ExpireAll(now);
                if (_pairs + newPairs > maxPairs) return Forget(key, state, refused: true);
            }
            long expires = now + (long)(register.HoldTimeSeconds * (double)time.TimestampFrequency);
            foreach (var v in register.Vnis)
                foreach (var a in v.Addresses) state.Set(v.Vni, SourceKey.From(a), expires, ref _pairs);
        }
        return Forget(key, state, refused: false);
    }

    private long Now => time.GetTimestamp() - _epoch;

    private bool Forget(UInt128 key, SourceState state, bool refused)
    {
        if (state.VniCount == 0) _sources.Remove(key);
        return !refused;
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
