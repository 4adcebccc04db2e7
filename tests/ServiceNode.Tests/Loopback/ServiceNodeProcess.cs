using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Management;
using Replicator.ServiceNode.Management.Cli;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Loopback;

/// <summary>
/// The real vxsnd composition running in-process on a loopback address with a free control port,
/// a temporary management socket and static entries file. Stopping and starting again with the
/// same <see cref="Directory"/> is a daemon restart.
/// </summary>
internal sealed class ServiceNodeProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IHost _host;
    private readonly Task<int> _run;

    private ServiceNodeProcess(string directory, IHost host, Task<int> run)
    {
        Directory = directory;
        _host = host;
        _run = run;
    }

    public string Directory { get; }

    public string Socket => Path.Combine(Directory, "vxsnd.sock");

    public IPEndPoint Control { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    public static async Task<ServiceNodeProcess> StartAsync(IPAddress address, string? directory = null, params string[] extra)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("vxsnd-test").FullName;
        string[] args =
        [
            $"--ServiceNode:ControlAddress={address}",
            "--ServiceNode:Registry:AllowLoopbackVteps=true", // every VTEP here is a loopback address
            "--ServiceNode:ControlPort=0",
            $"--ServiceNode:ManagementSocket={Path.Combine(directory, "vxsnd.sock")}",
            $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(directory, "static-entries")}",
            "--ServiceNode:Registry:AgeCheckInterval=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
            // The control plane is under test here; the data plane has its own tests, and several
            // in-process daemons would otherwise share the data port through SO_REUSEPORT.
            "--ServiceNode:DataPlane:Enabled=false",
            "--ServiceNode:Metrics:Endpoint=",
            // The tests send hand-made (unsigned) datagrams: without a key file of their own they
            // opt out of authentication, which is mandatory by default.
            .. (TestKeyFile.Decides(extra) ? Array.Empty<string>() : ["--ServiceNode:Authentication:AllowUnauthenticated=true"]),
            .. extra,
        ];
        var host = Program.CreateBuilder(null, args).Build();
        var stderr = new StringWriter();
        var process = new ServiceNodeProcess(directory, host, Task.Run(() => DaemonHost.RunAsync(host, "vxsnd", stderr)));
        var socket = host.Services.GetRequiredService<ControlSocket>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (socket.LocalEndPoint is null || !File.Exists(process.Socket) || !UnixSocketFile.IsListening(process.Socket))
        {
            if (process._run.IsCompleted) throw new InvalidOperationException($"vxsnd exited {await process._run}: {stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("vxsnd did not start");
            await Task.Delay(20);
        }
        process.Control = new IPEndPoint(address, socket.LocalEndPoint.Port);
        return process;
    }

    /// <summary>Runs a CLI command line in-process against this daemon's socket.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(
            ServiceNodeCommandLine.Create((_, _, _) => Task.FromResult(99)), [.. args, "--socket", Socket], "vxsnd", stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public async Task<List<FdbEntryResponse>> FdbAsync()
    {
        var (code, stdout, stderr) = await CliAsync("fdb", "--json");
        Assert.True(code == 0, stderr);
        return JsonSerializer.Deserialize<List<FdbEntryResponse>>(stdout, ManagementJson.Options)!;
    }

    public async Task<StatusResponse> StatusAsync()
    {
        var (code, stdout, stderr) = await CliAsync("status", "--json");
        Assert.True(code == 0, stderr);
        return JsonSerializer.Deserialize<StatusResponse>(stdout, ManagementJson.Options)!;
    }

    public async Task<int> StopAsync()
    {
        _stop.Cancel();
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        int code = await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted) await StopAsync();
    }
}
