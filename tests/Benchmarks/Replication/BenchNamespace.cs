using System.Diagnostics;
using Replicator.Linux.Native;

namespace Replicator.Benchmarks.Replication;

/// <summary>The benchmark's own network namespace (unique name, always deleted) and fixture commands inside it.</summary>
internal sealed class BenchNamespace : IDisposable
{
    private readonly List<Process> _processes = [];

    public BenchNamespace()
    {
        Name = $"rpl-dpbench-{Environment.ProcessId}";
        Check("ip", "netns", "add", Name);
    }

    public string Name { get; }

    public void Exec(params string[] args) => Run(["ip", "netns", "exec", Name, .. args], check: true);

    /// <summary>Runs a command inside the namespace and returns its standard output (e.g. the namespace's own /sys).</summary>
    public string Read(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", Name }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed: {err.Trim()}");
        return output.Trim();
    }

    /// <summary>Tries a command; returns whether it succeeded.</summary>
    public bool TryExec(params string[] args) => Run(["ip", "netns", "exec", Name, .. args], check: false) == 0;

    /// <summary>Starts a long-running process inside the namespace; it is killed at dispose if still running.</summary>
    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", Name }.Concat(args)) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {args[0]}");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data)) Console.Error.WriteLine($"  [{Path.GetFileName(args[0])}] {e.Data}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        return p;
    }

    public static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill();
            p.WaitForExit(5000);
        }
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread inside the namespace (sockets it opens live there).</summary>
    public T Enter<T>(Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                Errno e = LibC.EnterNetworkNamespace($"/var/run/netns/{Name}");
                if (e != Errno.SUCCESS) throw new NativeException($"setns({Name})", e);
                result = action();
            }
            catch (Exception x) { error = x; }
        });
        thread.Start();
        thread.Join();
        if (error is not null) throw new InvalidOperationException($"in namespace {Name}: {error.Message}", error);
        return result;
    }

    /// <summary>
    /// Packets an interface consumed: ifb counts what it is given without a redirect as received and
    /// dropped, so RX dropped + TX packets counts every copy routed to it. Read through
    /// /proc/thread-self/net/dev, which shows the reading thread's namespace.
    /// </summary>
    public long PacketsSunk(string device) => Enter(() =>
    {
        foreach (var line in File.ReadAllLines("/proc/thread-self/net/dev"))
        {
            int colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != device) continue;
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(f[3]) + long.Parse(f[9]); // receive drop + transmit packets
        }
        throw new InvalidOperationException($"no {device} in /proc/net/dev");
    });

    /// <summary>
    /// The namespace's UDP counters of one family (/proc/net/snmp or snmp6 as the reading thread's
    /// namespace shows them): datagrams sent (only the generator sends UDP here; raw and packet
    /// copies are not UDP sends), delivered to a socket, and dropped because a receive queue was full.
    /// </summary>
    public UdpCounters ReadUdp(int family) => Enter(() =>
    {
        if (family == 6)
        {
            var v = File.ReadAllLines("/proc/thread-self/net/snmp6")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length == 2)
                .ToDictionary(f => f[0], f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
            return new UdpCounters(v["Udp6OutDatagrams"], v["Udp6InDatagrams"], v["Udp6RcvbufErrors"]);
        }
        var lines = File.ReadAllLines("/proc/thread-self/net/snmp").Where(l => l.StartsWith("Udp: ", StringComparison.Ordinal)).ToArray();
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(string name) => long.Parse(values[Array.IndexOf(names, name)], System.Globalization.CultureInfo.InvariantCulture);
        return new UdpCounters(Field("OutDatagrams"), Field("InDatagrams"), Field("RcvbufErrors"));
    });

    public void Dispose()
    {
        foreach (var p in _processes) { try { Stop(p); } catch (InvalidOperationException) { } p.Dispose(); }
        Run(["ip", "netns", "del", Name], check: false);
    }

    public static int Run(string[] args, bool check)
    {
        var psi = new ProcessStartInfo(args[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed: {err.Trim()}");
        return p.ExitCode;
    }

    private static void Check(params string[] args) => Run(args, check: true);
}
