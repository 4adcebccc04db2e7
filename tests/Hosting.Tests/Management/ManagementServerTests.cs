using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;

namespace Replicator.Hosting.Tests.Management;

public sealed class ManagementServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mgmt").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public sealed record Echo(string Text, int Number);

    private sealed class EchoEndpoints : IManagementEndpoints
    {
        public void Map(IEndpointRouteBuilder endpoints)
        {
            endpoints.MapGet("/echo", (string? text) => text is null
                ? ManagementResults.BadRequest("text is required")
                : ManagementResults.Ok(new Echo(text, text.Length)));
            endpoints.MapGet("/boom", (Func<IResult>)(() => throw new InvalidOperationException("kaboom")));
        }
    }

    private IHost StartHost(string socket)
    {
        var builder = DaemonHost.CreateBuilder("testd", null, []);
        builder.Services.AddManagementServer(_ => socket);
        builder.Services.AddManagementEndpoints<EchoEndpoints>();
        var host = builder.Build();
        host.Start();
        return host;
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Start_StaleSocketFile_RemovedAndServes()
    {
        string socket = Path.Combine(_dir, "stale.sock");
        // Bound, never listening: what a crashed daemon leaves. Kept undisposed until the end,
        // because disposing a bound unix socket in .NET unlinks its file.
        var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(socket));
        Assert.True(File.Exists(socket));

        using var host = StartHost(socket);
        using var client = new ManagementClient(socket, "testd");
        var echo = await client.GetAsync<Echo>("/echo?text=hello");
        Assert.Equal(new Echo("hello", 5), echo);
        Assert.Equal(UnixSocketFile.Mode, File.GetUnixFileMode(socket));
        await host.StopAsync();
        Assert.False(File.Exists(socket));
        stale.Dispose();
    }

    [Fact]
    public async Task Start_SocketInUse_Throws()
    {
        string socket = Path.Combine(_dir, "busy.sock");
        using var first = StartHost(socket);
        var builder = DaemonHost.CreateBuilder("testd", null, []);
        builder.Services.AddManagementServer(_ => socket);
        using var second = builder.Build();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync());
        Assert.Contains("in use", ex.Message);
    }

    [Fact]
    public async Task Client_ErrorAnswers_CarryDaemonMessage()
    {
        string socket = Path.Combine(_dir, "err.sock");
        using var host = StartHost(socket);
        using var client = new ManagementClient(socket, "testd");
        var bad = await Assert.ThrowsAsync<ManagementClientException>(() => client.GetAsync<Echo>("/echo"));
        Assert.Equal("text is required", bad.Message);
        Assert.Equal(400, bad.StatusCode);
        var boom = await Assert.ThrowsAsync<ManagementClientException>(() => client.GetAsync<Echo>("/boom"));
        Assert.Equal(500, boom.StatusCode);
        Assert.Contains("kaboom", boom.Message);
    }

    [Fact]
    public async Task Client_NoDaemon_SaysNotRunning()
    {
        string socket = Path.Combine(_dir, "none.sock");
        using var client = new ManagementClient(socket, "testd");
        var ex = await Assert.ThrowsAsync<ManagementClientException>(() => client.GetAsync<Echo>("/echo?text=x"));
        Assert.Equal($"testd is not running (no management socket at {socket})", ex.Message);
        Assert.Null(ex.StatusCode);
    }
}
