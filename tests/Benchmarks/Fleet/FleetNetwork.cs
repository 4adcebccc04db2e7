using System.Diagnostics;
using System.Globalization;
using System.Text;
using Replicator.Benchmarks.Replication;
using Replicator.TestSupport;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// Two network namespaces of the run's own (<c>rpl-fleet-PID-sim</c>, <c>rpl-fleet-PID-sn</c>),
/// joined by a veth pair: the service node's side has <see cref="FleetSettings.ServiceNodeAddress"/>
/// and routes the VTEPs' /64 to the simulator's side, which carries every VTEP address (/128,
/// nodad, added with one <c>ip -batch</c>). So the service node's namespace needs one neighbour
/// entry, not one per VTEP (the neighbour table's limits are global, not ours to raise). Both
/// namespaces are deleted at dispose, whatever happened.
/// </summary>
internal sealed class FleetNetwork : IDisposable
{
    public const string SimulatorLink = "fleet-sim";
    public const string ServiceNodeLink = "fleet-sn";

    private FleetNetwork(string prefix)
    {
        Simulator = prefix + "-sim";
        ServiceNode = prefix + "-sn";
    }

    /// <summary>The namespace of the simulated VTEPs.</summary>
    public string Simulator { get; }

    /// <summary>The namespace of vxsnd.</summary>
    public string ServiceNode { get; }

    public static FleetNetwork Create(int vteps)
    {
        var network = new FleetNetwork($"rpl-fleet-{Environment.ProcessId}");
        try
        {
            network.Setup(vteps);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private void Setup(int vteps)
    {
        Ip("netns", "add", Simulator);
        Ip("netns", "add", ServiceNode);
        Ip("-n", Simulator, "link", "set", "lo", "up");
        Ip("-n", ServiceNode, "link", "set", "lo", "up");
        Ip("-n", Simulator, "link", "add", SimulatorLink, "type", "veth", "peer", "name", ServiceNodeLink, "netns", ServiceNode);
        Ip("-n", ServiceNode, "-6", "addr", "add", $"{FleetSettings.ServiceNodeAddress}/64", "dev", ServiceNodeLink, "nodad");
        Ip("-n", ServiceNode, "link", "set", ServiceNodeLink, "up");
        Ip("-n", Simulator, "-6", "addr", "add", $"{FleetSettings.SimulatorLinkAddress}/64", "dev", SimulatorLink, "nodad");
        Ip("-n", Simulator, "link", "set", SimulatorLink, "up");
        Ip("-n", ServiceNode, "-6", "route", "add", FleetSettings.VtepPrefix, "via", FleetSettings.SimulatorLinkAddress.ToString());
        var batch = new StringBuilder();
        for (int i = 0; i < vteps; i++)
            batch.Append(CultureInfo.InvariantCulture, $"address add {FleetSettings.VtepAddress(i)}/128 dev {SimulatorLink} nodad\n");
        string file = Path.Combine(Path.GetTempPath(), $"rpl-fleet-{Environment.ProcessId}.batch");
        File.WriteAllText(file, batch.ToString());
        try
        {
            Ip("-n", Simulator, "-batch", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread inside <paramref name="ns"/> (sockets it opens live there).</summary>
    public static T Enter<T>(string ns, Func<T> action) => NamespaceThread.Run(ns, action);

    /// <summary>Starts <paramref name="file"/> inside <paramref name="ns"/> (<c>ip netns exec</c> execs it: the pid is the program's).</summary>
    public static Process Start(string ns, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, Action<string> onLine)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns, file }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>
    /// UDP datagrams the kernel of <paramref name="ns"/> dropped because a socket's receive buffer was
    /// full or UDP memory ran out (Udp6RcvbufErrors + Udp6MemErrors): loss that is not the injected one, told apart from the protocol's.
    /// </summary>
    public static long ReceiveBufferDrops(string ns) => Enter(ns, () =>
    {
        long drops = 0;
        foreach (string line in File.ReadLines("/proc/thread-self/net/snmp6"))
        {
            if (line.StartsWith("Udp6RcvbufErrors", StringComparison.Ordinal) || line.StartsWith("Udp6MemErrors", StringComparison.Ordinal))
                drops += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return drops;
    });

    private static void Ip(params string[] args) => BenchNamespace.Run(["ip", .. args], check: true);

    private static void Exec(string ns, params string[] args) => BenchNamespace.Run(["ip", "netns", "exec", ns, .. args], check: true);

    public void Dispose()
    {
        BenchNamespace.Run(["ip", "netns", "del", Simulator], check: false);
        BenchNamespace.Run(["ip", "netns", "del", ServiceNode], check: false);
    }
}
