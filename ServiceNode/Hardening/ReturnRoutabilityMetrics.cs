using System.Diagnostics.Metrics;
using Replicator.ServiceNode.Control;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Instruments of <see cref="ReturnRoutability"/>, on the control plane's meter
/// (<see cref="ControlMetrics.MeterName"/>), so they are exported with it.
/// </summary>
internal sealed class ReturnRoutabilityMetrics
{
    private static readonly KeyValuePair<string, object?> Valid = new("result", "valid");
    private static readonly KeyValuePair<string, object?> Invalid = new("result", "invalid");
    private static readonly KeyValuePair<string, object?> Absent = new("result", "absent");

    private readonly Counter<long> _withheld;
    private readonly Counter<long> _withheldBytes;
    private readonly Counter<long> _cookieLists;
    private readonly Counter<long> _cookies;
    private long _withheldTotal;
    private long _cookieListsTotal;

    public ReturnRoutabilityMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ControlMetrics.MeterName);
        _withheld = meter.CreateCounter<long>("vxsnd.control.budget_withheld", "{datagram}",
            "Peer-list datagrams not sent to an address that has not proven it receives, because they exceeded 3x the bytes it sent.");
        _withheldBytes = meter.CreateCounter<long>("vxsnd.control.budget_withheld_bytes", "{byte}",
            "UDP payload bytes of the datagrams counted by vxsnd.control.budget_withheld.");
        _cookieLists = meter.CreateCounter<long>("vxsnd.control.cookie_lists", "{datagram}",
            "Cookie-only peer lists (no VNI) sent instead of an answer or push that exceeded an unproven address's budget.");
        _cookies = meter.CreateCounter<long>("vxsnd.control.cookies", "{registration}",
            "Unauthenticated registrations by the cookie they carried: result = valid, invalid (forged, expired or another node's), absent.");
    }

    /// <summary>Totals since start (tests, status).</summary>
    public long Withheld => Interlocked.Read(ref _withheldTotal);

    public long CookieLists => Interlocked.Read(ref _cookieListsTotal);

    public void WithheldAdd(int datagrams, long bytes)
    {
        Interlocked.Add(ref _withheldTotal, datagrams);
        _withheld.Add(datagrams);
        _withheldBytes.Add(bytes);
    }

    public void CookieListSent()
    {
        Interlocked.Increment(ref _cookieListsTotal);
        _cookieLists.Add(1);
    }

    public void Cookie(bool present, bool valid)
    {
        if (_cookies.Enabled) _cookies.Add(1, valid ? Valid : present ? Invalid : Absent);
    }
}
