using System.Net;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// The reply endpoints whose last registration said they speak peer-list deltas (Register key 6),
/// until that registration's hold time ends: only they get deltas; everyone else gets full lists, as
/// before (PROTOCOL.md 5.2). A registration without the key takes an endpoint off (an older vxrd
/// restarted on the same port). Bounded: past <see cref="Capacity"/> the expired go first, then
/// new endpoints are not added (they get full lists). Used only on the registry loop.
/// </summary>
internal sealed class DeltaReceivers(TimeProvider time)
{
    public const int Capacity = 1 << 20;

    private readonly Dictionary<IPEndPoint, long> _until = new();
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    public int Count => _until.Count;

    public void Note(IPEndPoint replyTo, bool speaksDeltas, TimeSpan holdTime)
    {
        ArgumentNullException.ThrowIfNull(replyTo);
        if (!speaksDeltas || holdTime <= TimeSpan.Zero)
        {
            _until.Remove(replyTo);
            return;
        }
        long until = _time.GetTimestamp() + (long)(holdTime.TotalSeconds * _time.TimestampFrequency);
        if (_until.Count >= Capacity && !_until.ContainsKey(replyTo) && !Prune()) return;
        _until[replyTo] = until;
    }

    public bool Speaks(IPEndPoint endpoint) => _until.TryGetValue(endpoint, out long until) && _time.GetTimestamp() < until;

    private bool Prune()
    {
        long now = _time.GetTimestamp();
        foreach (var (endpoint, until) in _until)
        {
            if (until <= now) _until.Remove(endpoint);
        }
        return _until.Count < Capacity;
    }
}
