using System.Diagnostics;
using Replicator.Hosting.Management;

namespace Replicator.Benchmarks.Fleet;

/// <summary>The phases of a <see cref="FleetRun"/>: each schedules its load, waits for convergence within its deadline and reports what it cost.</summary>
internal sealed class FleetPhases(FleetSettings settings, FleetNetwork network, VtepFleet fleet, FleetServiceNode serviceNode)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public async Task<FleetPhaseReport> JoinAsync()
    {
        var before = await SnapshotAsync();
        int n = settings.Vteps;
        for (int i = 0; i < n; i++) fleet.ScheduleJoin(i, n == 1 ? TimeSpan.Zero : settings.JoinWindow * i / (n - 1));
        await WaitJoinsSentAsync(n, settings.JoinWindow + settings.PhaseDeadline);
        var converged = await WaitConvergedAsync(fleet.LastJoinAt, settings.PhaseDeadline);
        return await ReportAsync("join", before, converged, "the last join");
    }

    /// <summary>No membership change: only the VTEPs' refreshes (each answered with its lists), scaled to one hold time.</summary>
    public async Task<FleetPhaseReport> SteadyAsync()
    {
        var quietAfter = await WaitPushesQuietAsync();
        var before = await SnapshotAsync();
        await Task.Delay(settings.SteadyDuration);
        var report = await ReportAsync("steady", before, fleet.Tracker.Incomplete == 0 ? TimeSpan.Zero : null, "");
        double scale = settings.HoldTime / settings.SteadyDuration;
        return report with
        {
            Note = FormattableString.Invariant($"per VTEP per hold time ({settings.HoldTime.TotalSeconds} s): {report.DatagramsPerVtep * scale:F1} datagrams, {report.BytesPerVtep * scale / 1024:F1} KiB received, {(double)report.RegistrationsSent / settings.Vteps * scale:F1} registration datagrams sent; measured from {quietAfter.TotalSeconds:F1} s after convergence, when vxsnd's pushes had been quiet for {PushesQuiet.TotalSeconds:F0} s"),
        };
    }

    private static readonly TimeSpan PushesQuiet = TimeSpan.FromSeconds(2);

    // A converged join can still leave work in vxsnd's pacing queue (the generation statements of a wave of
    // 100,000 entries, paced per destination): steady traffic is measured only once no push has left for
    // PushesQuiet, or after the phase deadline at the latest. Returns how long that took.
    private async Task<TimeSpan> WaitPushesQuietAsync()
    {
        var clock = Stopwatch.StartNew();
        var (pushed, _) = await PushedAsync();
        while (clock.Elapsed < settings.PhaseDeadline)
        {
            await Task.Delay(PushesQuiet);
            var (now, _) = await PushedAsync();
            if (now == pushed) break;
            pushed = now;
        }
        return clock.Elapsed;
    }

    /// <summary>Every second, ChurnPercentPerSecond of the VTEPs leave (withdraw all their VNIs) and rejoin a second later.</summary>
    public async Task<FleetPhaseReport> ChurnAsync()
    {
        var before = await SnapshotAsync();
        var random = new Random(settings.Seed + 1);
        int seconds = (int)Math.Ceiling(settings.ChurnDuration.TotalSeconds);
        double perSecond = settings.Vteps * settings.ChurnPercentPerSecond / 100, owed = 0;
        var previous = new HashSet<int>();
        int moves = 0;
        for (int s = 0; s < seconds; s++)
        {
            owed += perSecond;
            var now = new HashSet<int>();
            // Not one that is still out from the second before: each leave pairs with its rejoin.
            while (owed >= 1 && now.Count + previous.Count < settings.Vteps)
            {
                int v = random.Next(settings.Vteps);
                if (previous.Contains(v) || !now.Add(v)) continue;
                fleet.ScheduleLeave(v, TimeSpan.FromSeconds(s));
                fleet.ScheduleJoin(v, TimeSpan.FromSeconds(s + 1));
                owed--;
                moves++;
            }
            previous = now;
        }
        await Task.Delay(TimeSpan.FromSeconds(seconds + 1) + TimeSpan.FromMilliseconds(100));
        var converged = await WaitConvergedAsync(fleet.LastJoinAt, settings.PhaseDeadline);
        var report = await ReportAsync("churn", before, converged, "the last rejoin");
        return report with { Note = Join(report.Note, $"{moves} leave+rejoin over {seconds} s") };
    }

    /// <summary>SIGKILL, start again, and wait until every VTEP has a complete list from the new process (the VTEPs' refreshes bring it).</summary>
    public async Task<FleetPhaseReport> RestartAsync()
    {
        var before = await SnapshotAsync();
        long killedAt = Stopwatch.GetTimestamp();
        serviceNode.Kill();
        foreach (var vtep in fleet.Vteps) vtep.Unmark(fleet.Tracker);
        var startup = await serviceNode.StartAsync(TimeSpan.FromSeconds(60));
        // The new process's counters start from zero: its CPU and pushes are the phase's own.
        before = before with { CpuSeconds = 0, Pushed = 0, Paced = 0 };
        var converged = await WaitConvergedAsync(killedAt, settings.RefreshInterval + settings.PhaseDeadline);
        var report = await ReportAsync("restart", before, converged, "SIGKILL");
        return report with { Note = Join(report.Note, FormattableString.Invariant($"vxsnd answering {startup.TotalSeconds:F2} s after SIGKILL; VTEPs refresh every {settings.RefreshInterval.TotalSeconds} s (less jitter)")) };
    }

    private static string Join(string? first, string second) => first is null ? second : first + "; " + second;

    private async Task WaitJoinsSentAsync(int joins, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (fleet.Vteps.Count(v => v.Joined) < joins && clock.Elapsed < deadline) await Task.Delay(Poll);
    }

    /// <summary>The time from <paramref name="reference"/> (a Stopwatch timestamp) to full convergence, or null when the deadline passes first.</summary>
    private async Task<TimeSpan?> WaitConvergedAsync(long reference, TimeSpan deadline)
    {
        while (Stopwatch.GetElapsedTime(reference) < deadline)
        {
            if (fleet.Tracker.Incomplete == 0 && fleet.Tracker.ConvergedAt >= reference)
                return Stopwatch.GetElapsedTime(reference, fleet.Tracker.ConvergedAt);
            await Task.Delay(Poll);
        }
        return null;
    }

    private sealed record Snapshot(long At, long[] Bytes, long Datagrams, long Lists, long Sent, double Pushed, double Paced, double CpuSeconds, double SimulatorCpu,
        long VtepBufferDrops, long ServiceNodeBufferDrops);

    private async Task<Snapshot> SnapshotAsync()
    {
        var (pushed, paced) = await PushedAsync();
        return new(
        Stopwatch.GetTimestamp(),
        [.. fleet.Vteps.Select(v => Interlocked.Read(ref v.Bytes))],
        fleet.Vteps.Sum(v => Interlocked.Read(ref v.Datagrams)),
        fleet.Vteps.Sum(v => Interlocked.Read(ref v.CompleteLists)),
        fleet.Sent.Datagrams,
        pushed,
        paced,
        serviceNode.CpuSeconds(),
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        FleetNetwork.ReceiveBufferDrops(network.Simulator),
        FleetNetwork.ReceiveBufferDrops(network.ServiceNode));
    }

    // Peer-list datagrams pushed, and those of them that waited in vxsnd's pacing queue (its token
    // buckets, ServiceNode:Hardening:PushRate*). A vxsnd starved of CPU may not answer a scrape in time:
    // the figures are then unknown (NaN), the run goes on.
    private async Task<(double Pushed, double Paced)> PushedAsync()
    {
        try
        {
            var metrics = await serviceNode.MetricsAsync("vxsnd_peerlists");
            return (metrics.Where(kv => kv.Key.Contains("pushed", StringComparison.Ordinal)).Sum(kv => kv.Value),
                metrics.Where(kv => kv.Key.Contains("paced", StringComparison.Ordinal)).Sum(kv => kv.Value));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

    private async Task<FleetPhaseReport> ReportAsync(string phase, Snapshot before, TimeSpan? converged, string from)
    {
        // Let the last datagrams in flight land before counting.
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var after = await SnapshotAsync();
        int n = fleet.Vteps.Length;
        long maxBytes = 0, totalBytes = 0;
        for (int i = 0; i < n; i++)
        {
            long b = after.Bytes[i] - before.Bytes[i];
            totalBytes += b;
            maxBytes = Math.Max(maxBytes, b);
        }
        IReadOnlyList<string> differences;
        try
        {
            differences = fleet.Target.CompareWithRegistry(await serviceNode.RegistryAsync());
        }
        catch (ManagementClientException e)
        {
            // A vxsnd too busy to answer its management API is a finding, not a reason to stop the run.
            differences = [$"registry not readable: {e.Message}"];
        }
        string? gap = null;
        if (converged is null)
        {
            var gaps = fleet.Vteps.Where(v => v.Joined).Select(v => v.Gap(fleet.Target)).ToList();
            gap = $"incomplete lists lack {gaps.Sum(g => g.Missing)} addresses and hold {gaps.Sum(g => g.Extra)} too many in all; "
                + $"{gaps.Count(g => g.Missing + g.Extra > 0)} VTEPs affected, {gaps.Count(g => g.Missing + g.Extra > 0 && g.WithGeneration > 0)} of them holding a generation";
        }
        return new FleetPhaseReport(phase, Stopwatch.GetElapsedTime(before.At, after.At), converged, from, fleet.Tracker.Incomplete,
            (double)(after.Datagrams - before.Datagrams) / n, (double)totalBytes / n, maxBytes, totalBytes / 1e6,
            (double)(after.Lists - before.Lists) / n, after.Sent - before.Sent, after.Pushed - before.Pushed,
            after.CpuSeconds - before.CpuSeconds, serviceNode.PeakRssBytes(), after.SimulatorCpu - before.SimulatorCpu, differences)
        {
            VtepBufferDrops = after.VtepBufferDrops - before.VtepBufferDrops,
            ServiceNodeBufferDrops = after.ServiceNodeBufferDrops - before.ServiceNodeBufferDrops,
            Paced = after.Paced - before.Paced,
            Note = gap,
        };
    }
}
