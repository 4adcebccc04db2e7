using System.Diagnostics;
using Replicator.Hosting.Management;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Management;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Cluster;

/// <summary>
/// The real vxsnd (the built <c>vxsnd.dll</c>) running inside a network namespace, with its
/// management socket and static entries in a test directory, its output collected for failure messages.
/// </summary>
internal sealed class VxsndProcess : IDisposable
{
    private readonly DaemonProcess _process;

    private VxsndProcess(DaemonProcess process, string socket)
    {
        _process = process;
        Socket = socket;
    }

    public string Socket { get; }

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>The daemon's pid (<c>ip netns exec</c> execs it, so it is the started process).</summary>
    public int Pid => _process.Id;

    public static VxsndProcess Start(NetworkNamespace ns, string directory, string name, params string[] settings)
    {
        string socket = Path.Combine(directory, $"{name}.sock");
        string[] args =
        [
            $"--ServiceNode:ManagementSocket={socket}",
            $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(directory, $"{name}.static")}",
            "--ServiceNode:Metrics:Endpoint=",
            "--Logging:LogLevel:Default=Information",
            // The cluster tests register with hand-made (unsigned) datagrams: without a key file
            // of their own they opt out of authentication, which is mandatory by default.
            .. (TestKeyFile.Decides(settings) ? Array.Empty<string>() : ["--ServiceNode:Authentication:AllowUnauthenticated=true"]),
            .. settings,
        ];
        return new VxsndProcess(DaemonProcess.StartDll(ns, VxsndDll, args), socket);
    }

    /// <summary>SIGKILL: no shutdown code runs (the anycast address stays on the loopback, as after a crash).</summary>
    public void Kill() => _process.Kill();

    public async Task<ClusterStatusResponse?> TryClusterAsync()
    {
        if (!File.Exists(Socket)) return null;
        try
        {
            using var client = new ManagementClient(Socket, "vxsnd", TimeSpan.FromSeconds(2));
            return await client.GetAsync<ClusterStatusResponse>("/cluster");
        }
        catch (ManagementClientException)
        {
            return null;
        }
    }

    public async Task<List<FdbEntryResponse>> FdbAsync()
    {
        using var client = new ManagementClient(Socket, "vxsnd", TimeSpan.FromSeconds(5));
        return await client.GetAsync<List<FdbEntryResponse>>("/fdb");
    }

    /// <summary>Waits until the management API answers (it starts last: the start-up sync is over by then).</summary>
    public async Task<ClusterStatusResponse> WaitStartedAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"vxsnd exited with {_process.ExitCode}:\n{Output}");
            if (await TryClusterAsync() is { } status) return status;
            await Task.Delay(50);
        }
        throw new TimeoutException($"vxsnd did not start within {timeout}:\n{Output}");
    }

    public void Dispose() => _process.Dispose();

    // The Release build when there is one, else the copy next to this test assembly (a Debug run).
    private static string VxsndDll
    {
        get
        {
            string release = Path.Combine(RepositoryRoot.Path, "ServiceNode", "bin", "Release", "net10.0", "vxsnd.dll");
            return File.Exists(release) ? release : Path.Combine(AppContext.BaseDirectory, "vxsnd.dll");
        }
    }
}
