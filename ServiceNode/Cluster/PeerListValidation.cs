using System.Net;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// The one check of a configured peer list (<c>Cluster:Peers</c>, <c>Bgp:Peers</c>): every entry parses as a
/// <see cref="PeerAddress"/> and no address is listed twice, each error naming its key, index and value.
/// </summary>
internal static class PeerListValidation
{
    /// <summary>
    /// Adds an error to <paramref name="errors"/> for every bad or repeated entry of <paramref name="peers"/>
    /// (configured under <paramref name="key"/>); returns the distinct addresses of the good ones.
    /// </summary>
    public static HashSet<IPAddress> Check(string key, IReadOnlyList<string?> peers, List<string> errors)
    {
        var seen = new HashSet<IPAddress>();
        for (int i = 0; i < peers.Count; i++)
        {
            string? text = peers[i];
            if (!PeerAddress.TryParse(text, out var peer, out string error))
                errors.Add($"{key}:{i} = '{text}': {error}; expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT");
            else if (!seen.Add(peer.Address))
                errors.Add($"{key}:{i} = '{text}': {peer.Address} is listed twice");
        }
        return seen;
    }
}
