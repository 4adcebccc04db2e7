using System.Net;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// What the fleet simulator runs: <see cref="Vteps"/> VTEPs, each in <see cref="VnisPerVtep"/> VNIs
/// out of a pool of <see cref="VniPool"/> (VTEP i is in VNIs <c>FirstVni + (i + k) mod pool</c>,
/// k &lt; M, so the pool equal to M puts every VTEP in every VNI), joining evenly over
/// <see cref="JoinWindow"/>, refreshing every <see cref="RefreshInterval"/> (less up to 25% jitter,
/// as vxrd does) with hold time <see cref="HoldTime"/>; then <see cref="SteadyDuration"/> of refreshes
/// only, <see cref="ChurnDuration"/> of churn and, when <see cref="Restart"/>, a mass restart (0 skips a phase).
/// With <see cref="Deltas"/> the VTEPs speak peer-list deltas (PROTOCOL.md 5.2: held generations in
/// every registration, deltas applied, a resynchronising registration at most once a second when one
/// is out of step); without, they are VTEPs of before deltas. <see cref="VtepReceiveBufferBytes"/> &gt; 0
/// forces each VTEP socket's receive buffer (SO_RCVBUFFORCE): a real vxrd drains one socket at once,
/// the simulator thousands on a shared machine, so its default buffers overflow where vxrd's would not.
/// <see cref="SimulatorCpu"/> and <see cref="VxsndCpu"/> &gt;= 0 pin the simulator and vxsnd to different
/// CPUs (sched_setaffinity, taskset), so that neither's CPU time is spent waiting for the other.
/// </summary>
internal sealed record FleetSettings(
    int Vteps,
    int VnisPerVtep,
    int VniPool,
    TimeSpan JoinWindow,
    TimeSpan RefreshInterval,
    TimeSpan HoldTime,
    TimeSpan SteadyDuration,
    TimeSpan ChurnDuration,
    double ChurnPercentPerSecond,
    bool Restart,
    double LossPercent,
    bool Deltas,
    int VtepReceiveBufferBytes,
    int SimulatorCpu,
    int VxsndCpu,
    TimeSpan PhaseDeadline,
    int Seed,
    string? VxsndPath,
    IReadOnlyList<string> VxsndArguments)
{
    public const uint FirstVni = 1000;

    /// <summary>Most VTEPs: the addresses are 2001:db8:1::/64 hosts numbered from 1 and one /64 is plenty, but sockets and kernel addresses are not free.</summary>
    public const int MaxVteps = 20000;

    /// <summary>The service node's address on the link (documentation range).</summary>
    public static readonly IPAddress ServiceNodeAddress = IPAddress.Parse("2001:db8:f1::1");

    /// <summary>The simulator's end of the link, the service node's route to the VTEPs.</summary>
    public static readonly IPAddress SimulatorLinkAddress = IPAddress.Parse("2001:db8:f1::2");

    /// <summary>The VTEPs' prefix, routed by the service node's namespace to <see cref="SimulatorLinkAddress"/>.</summary>
    public const string VtepPrefix = "2001:db8:1::/64";

    public const int ControlPort = 10001;

    /// <summary>VTEP i's address: 2001:db8:1::(i+1), the host number in the last 32 bits.</summary>
    public static IPAddress VtepAddress(int i)
    {
        byte[] bytes = [0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        uint host = (uint)i + 1;
        bytes[12] = (byte)(host >> 24);
        bytes[13] = (byte)(host >> 16);
        bytes[14] = (byte)(host >> 8);
        bytes[15] = (byte)host;
        return new IPAddress(bytes);
    }

    public static string NodeId(int i) => $"fleet-{i}";

    /// <summary>VTEP i's VNIs, ascending.</summary>
    public uint[] VnisOf(int i)
    {
        var vnis = new uint[VnisPerVtep];
        for (int k = 0; k < VnisPerVtep; k++) vnis[k] = FirstVni + (uint)((i + k) % VniPool);
        Array.Sort(vnis);
        return vnis;
    }

    /// <summary>Problems with the parameters, one line each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Vteps is < 1 or > MaxVteps) errors.Add($"--vteps {Vteps}: must be 1-{MaxVteps}");
        if (VnisPerVtep is < 1 or > 1000) errors.Add($"--vnis {VnisPerVtep}: must be 1-1000");
        if (VniPool < VnisPerVtep || VniPool > 1_000_000) errors.Add($"--vni-pool {VniPool}: must be at least --vnis and at most 1000000");
        if (JoinWindow < TimeSpan.Zero || JoinWindow > TimeSpan.FromMinutes(10)) errors.Add("--join-seconds: must be 0-600");
        if (RefreshInterval < TimeSpan.FromSeconds(1)) errors.Add("--refresh-seconds: must be at least 1");
        if (HoldTime < RefreshInterval) errors.Add("--hold-seconds: must be at least --refresh-seconds");
        if (SteadyDuration < TimeSpan.Zero || ChurnDuration < TimeSpan.Zero) errors.Add("--steady-seconds, --churn-seconds: must not be negative");
        if (ChurnPercentPerSecond is < 0 or > 50) errors.Add("--churn-percent: must be 0-50");
        if (LossPercent is < 0 or > 50) errors.Add("--loss: must be 0-50");
        if (VtepReceiveBufferBytes is < 0 or > 64 << 20) errors.Add("--vtep-rcvbuf-kib: must be 0-65536");
        if ((SimulatorCpu >= 0) != (VxsndCpu >= 0) || SimulatorCpu >= Math.Min(64, Environment.ProcessorCount) || VxsndCpu >= Math.Min(64, Environment.ProcessorCount)
            || (SimulatorCpu >= 0 && SimulatorCpu == VxsndCpu))
            errors.Add($"--cpus: two different CPUs below {Math.Min(64, Environment.ProcessorCount)} (simulator,vxsnd), or no");
        if (PhaseDeadline < TimeSpan.FromSeconds(1)) errors.Add("--deadline-seconds: must be at least 1");
        return errors;
    }
}
