using System.Globalization;
using System.Text;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// What one phase cost and whether it converged. Bytes are UDP payload (control message with its
/// trailer); an empty <see cref="ConvergedFrom"/> means nothing was to converge (steady phase); per-VTEP figures are means over all VTEPs, with the largest single VTEP beside them.
/// </summary>
internal sealed record FleetPhaseReport(
    string Phase,
    TimeSpan Duration,
    TimeSpan? Converged,
    string ConvergedFrom,
    int IncompletePairs,
    double DatagramsPerVtep,
    double BytesPerVtep,
    long MaxBytesOneVtep,
    double TotalMegabytes,
    double ListsPerVtep,
    long RegistrationsSent,
    double Pushed,
    double VxsndCpuSeconds,
    long VxsndPeakRssBytes,
    double SimulatorCpuSeconds,
    IReadOnlyList<string> RegistryDifferences,
    string? Note = null)
{
    /// <summary>Datagrams the simulator's kernel dropped at full VTEP socket buffers (the simulator fell behind), not the protocol's loss.</summary>
    public long VtepBufferDrops { get; init; }

    /// <summary>Pushed datagrams that waited in vxsnd's pacing queue (its push token buckets).</summary>
    public double Paced { get; init; }

    /// <summary>Registrations vxsnd's kernel dropped at its full control socket buffer.</summary>
    public long ServiceNodeBufferDrops { get; init; }

    public override string ToString()
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.Append(c, $"{Phase,-9} ");
        s.Append(Converged is { } t
            ? ConvergedFrom.Length == 0 ? "stayed converged" : string.Create(c, $"converged {t.TotalSeconds:F2} s after {ConvergedFrom}")
            : string.Create(c, $"NOT CONVERGED within {Duration.TotalSeconds:F0} s ({IncompletePairs} VTEP-VNI lists incomplete)"));
        s.Append(c, $"; per VTEP {DatagramsPerVtep:F1} datagrams, {BytesPerVtep / 1024:F1} KiB (max {MaxBytesOneVtep / 1024.0:F1} KiB), {ListsPerVtep:F1} complete lists");
        s.Append(c, $"; {TotalMegabytes:F1} MB in all; {RegistrationsSent} registration datagrams; vxsnd pushed {(double.IsNaN(Pushed) ? "? (scrape timed out)" : Pushed.ToString("F0", c))} ({(double.IsNaN(Paced) ? "?" : Paced.ToString("F0", c))} of them paced)");
        s.Append(c, $"; vxsnd {VxsndCpuSeconds:F2} CPU s, peak RSS {VxsndPeakRssBytes / 1048576.0:F0} MiB; simulator {SimulatorCpuSeconds:F2} CPU s");
        s.Append(c, $"; socket-buffer drops: {VtepBufferDrops} at the VTEPs{(VtepBufferDrops > 0 ? " (DROPS AT THE SIMULATOR: not vxsnd's doing)" : "")}, {ServiceNodeBufferDrops} at vxsnd");
        s.Append(RegistryDifferences.Count == 0 ? "; registry = target" : $"; REGISTRY DIFFERS: {string.Join(", ", RegistryDifferences)}");
        if (Note is not null) s.Append("; ").Append(Note);
        return s.ToString();
    }
}
