using System.Diagnostics;

namespace Replicator.TestSupport;

/// <summary>
/// A network namespace created for one test, with a unique name, always deleted on dispose
/// (which also deletes every interface inside it). Addresses used inside must be loopback or
/// documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int s_counter;

    public string Name { get; }

    private NetworkNamespace(string name) => Name = name;

    /// <summary>Creates "rpl-{tag}-{pid}-{n}" (at most 15 characters of tag are kept) with loopback up.</summary>
    public static NetworkNamespace Create(string tag)
    {
        string name = $"rpl-{(tag.Length > 12 ? tag[..12] : tag)}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Shell.Check("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        ns.Exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>Runs a command inside the namespace; throws when it fails.</summary>
    public string Exec(string file, params string[] args) => Shell.Check("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Runs a command inside the namespace and returns its result, whatever it is.</summary>
    public Shell.Result Try(string file, params string[] args) => Shell.Run("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Starts a long-running process inside the namespace (a daemon under test).</summary>
    public Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Name, file }.Concat(args)) psi.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        return Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file} in {Name}");
    }

    /// <summary>Runs an action with this thread inside the namespace (setns), restoring it afterwards.</summary>
    public T Enter<T>(Func<T> action) => NamespaceThread.Run(Name, action);

    public void Dispose()
    {
        // Kill anything left inside, then delete: a stuck process would keep the namespace alive.
        Shell.Run("ip", ["netns", "pids", Name], TimeSpan.FromSeconds(5)).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToList()
            .ForEach(pid => Shell.Run("kill", ["-9", pid.Trim()], TimeSpan.FromSeconds(5)));
        Shell.Run("ip", ["netns", "del", Name], TimeSpan.FromSeconds(10));
    }
}
