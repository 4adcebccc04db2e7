namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// Which received routes are imported: those carrying one of the configured route targets, computed for the
/// route's own VNI (so the default <c>{as}:{vni}</c> admits exactly what FRR's default import admits), or all
/// with <c>*</c>. Runs on the registry loop; allocates nothing per route.
/// </summary>
internal sealed class EvpnImportFilter
{
    private readonly EvpnValueFormat[] _targets;
    private readonly bool _any;
    private readonly Func<uint> _localAs;

    /// <param name="localAs">Read per route: the speaker that knows it is composed after this filter (it calls the bridge that holds it).</param>
    public EvpnImportFilter(IEnumerable<string> targets, Func<uint> localAs)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var formats = new List<EvpnValueFormat>();
        foreach (string text in targets)
        {
            if (IsAny(text))
            {
                _any = true;
                continue;
            }
            if (!EvpnValueFormat.TryParse(text, routeDistinguisher: false, out var format, out string error))
                throw new ArgumentException($"import route target '{text}': {error}", nameof(targets));
            formats.Add(format);
        }
        _targets = [.. formats];
        _localAs = localAs ?? throw new ArgumentNullException(nameof(localAs));
    }

    public static bool IsAny(string? text) => text?.Trim() == "*";

    /// <summary>True when <paramref name="routeTargets"/> holds a configured target for <paramref name="vni"/>.</summary>
    public bool Admits(uint vni, IReadOnlyList<ulong> routeTargets)
    {
        ArgumentNullException.ThrowIfNull(routeTargets);
        if (_any) return true;
        uint localAs = _localAs();
        foreach (var target in _targets)
        {
            ulong wanted = target.RouteTarget(localAs, vni);
            for (int i = 0; i < routeTargets.Count; i++)
            {
                if (routeTargets[i] == wanted) return true;
            }
        }
        return false;
    }
}
