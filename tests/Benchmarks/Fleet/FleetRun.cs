using System.Diagnostics;
using System.Globalization;
using Replicator.Linux.Native;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// One simulator run, phase by phase: join (VTEPs join evenly over the window; converged when every
/// VTEP holds the complete membership of each of its VNIs), an optional steady phase (refresh
/// traffic only), churn (1%/s leave and rejoin a second later), and a mass restart (vxsnd SIGKILLed
/// and started again; converged when every VTEP has received a complete list from the new process).
/// Every phase has a deadline and reports "not converged" when it passes; after each, the registry
/// is compared with the target. Network, processes and sockets go at the end, also on failure.
/// </summary>
internal sealed class FleetRun(FleetSettings settings, TextWriter output)
{
    public async Task<int> RunAsync()
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fleet: {settings.Vteps} VTEPs x {settings.VnisPerVtep} VNIs (pool {settings.VniPool}), joins over {settings.JoinWindow.TotalSeconds} s, refresh {settings.RefreshInterval.TotalSeconds} s, hold {settings.HoldTime.TotalSeconds} s, loss {settings.LossPercent}% each way (in the simulator), VTEPs {(settings.Deltas ? "speak deltas" : "without deltas")}, VTEP receive buffers {(settings.VtepReceiveBufferBytes > 0 ? $"{settings.VtepReceiveBufferBytes / 1024} KiB" : "default")}"));
        output.WriteLine($"date {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC; load average {LoadAverage()}");
        if (settings.SimulatorCpu >= 0) PinSimulator(settings.SimulatorCpu);
        using var network = FleetNetwork.Create(settings.Vteps);
        using var serviceNode = new FleetServiceNode(network.ServiceNode, settings.VxsndPath, settings.VxsndArguments, settings.VxsndCpu);
        await serviceNode.StartAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"vxsnd: {serviceNode.Executable} (pid {serviceNode.Pid}) {string.Join(' ', settings.VxsndArguments)}; "
            + (settings.SimulatorCpu >= 0 ? $"simulator pinned to CPU {settings.SimulatorCpu}, vxsnd to CPU {settings.VxsndCpu}" : "not pinned"));
        var setup = Stopwatch.StartNew();
        using var fleet = new VtepFleet(settings, network.Simulator, serviceNode.Keys);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{fleet.Vteps.Length} sockets and addresses ready in {setup.Elapsed.TotalSeconds:F1} s; target {fleet.Target.Entries} entries in {fleet.Target.Vnis} VNIs; one full list of the largest VNI: {FullListBytes(fleet.Target)} bytes (signed, split at 1452)"));

        var phases = new FleetPhases(settings, network, fleet, serviceNode);
        var reports = new List<FleetPhaseReport> { await phases.JoinAsync() };
        output.WriteLine(reports[^1]);
        if (reports[^1].Converged is not null && settings.SteadyDuration > TimeSpan.Zero)
        {
            reports.Add(await phases.SteadyAsync());
            output.WriteLine(reports[^1]);
        }
        if (settings.ChurnDuration > TimeSpan.Zero)
        {
            reports.Add(await phases.ChurnAsync());
            output.WriteLine(reports[^1]);
        }
        if (settings.Restart)
        {
            reports.Add(await phases.RestartAsync());
            output.WriteLine(reports[^1]);
        }
        var sent = fleet.Sent;
        output.WriteLine($"simulator: {sent.Datagrams} registration datagrams ({sent.Bytes / 1048576.0:F1} MB), {sent.SendErrors} send errors, {sent.Rejected} received datagrams refused (bad MAC or not a peer list), {sent.Lost} datagrams discarded as loss; "
            + $"{fleet.Vteps.Sum(v => v.DeltasApplied)} deltas applied, {fleet.Vteps.Sum(v => v.DeltasOutOfStep)} out of step, {fleet.Vteps.Sum(v => v.IncompleteListsRepaired)} repairs of split lists after {PeerListAssembler.QuietLimit.TotalMilliseconds} ms without a new part (parts kept), {sent.Resyncs} resynchronising registrations, {sent.Retries} retries of unanswered ones");
        // What vxsnd sent by kind, and what became of the incomplete lists the VTEPs named (Register key 7).
        var samples = new List<string>();
        foreach (string prefix in new[] { "vxsnd_peerlists_sent_total", "vxsnd_peerlists_incomplete_total" }) samples.AddRange(await serviceNode.SamplesAsync(prefix));
        output.WriteLine($"vxsnd: {string.Join("; ", samples.Select(s => s.Replace("vxsnd_peerlists_", "", StringComparison.Ordinal)))}");
        var odd = fleet.Oddities;
        output.WriteLine($"simulator receive path: {fleet.SocketDrops} datagrams dropped at full VTEP socket buffers (SO_RXQ_OVFL){(fleet.SocketDrops > 0 ? " -- THIS RUN HAS DROPS AT THE SIMULATOR" : "")}; "
            + $"{odd.Postponed} retries/resyncs postponed while their socket held unread datagrams; {odd.Truncated} truncated; {odd.WithoutTimestamp} without kernel timestamp; "
            + $"{fleet.Decoded.Misses} distinct datagrams verified and decoded, {fleet.Decoded.Hits} identical to one before");
        output.WriteLine($"load average at the end: {LoadAverage()}");
        return reports.All(r => r.Converged is not null && r.RegistryDifferences.Count == 0) ? 0 : 1;
    }

    /// <summary>Bytes of one signed full peer list of the largest VNI, as vxsnd splits it.</summary>
    private static long FullListBytes(FleetMembership target)
    {
        int members = Enumerable.Range(0, target.Vnis).Max(k => target.MembersOf(FleetSettings.FirstVni + (uint)k));
        var list = new PeerListMessage(90, [new VniAddresses(FleetSettings.FirstVni, [.. Enumerable.Range(0, members).Select(FleetSettings.VtepAddress)])], 1, 0, 1);
        return ControlCodec.EncodePeerList(list, reserveAuthenticationTrailer: true).Sum(d => (long)d.Length);
    }

    // Every thread the simulator has now (runtime threads included) to one CPU; threads started later
    // inherit the mask of the thread that starts them.
    private static void PinSimulator(int cpu)
    {
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            var errno = LibC.SetAffinity(int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), 1UL << cpu);
            if (errno is not (Errno.SUCCESS or Errno.ESRCH)) throw new NativeException($"sched_setaffinity(CPU {cpu})", errno);
        }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); } catch (IOException) { return "?"; }
    }
}
