using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Web;

namespace Replicator.Hosting.Tests.Web;

public sealed class EmbeddedWebHostTests
{
    [Fact]
    public async Task CreateBuilder_LoopbackListener_ServesWithoutServerHeaderAndLeavesSignalsToTheDaemon()
    {
        var builder = EmbeddedWebHost.CreateBuilder("test", NullLoggerFactory.Instance,
            kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("hello"));
        await app.StartAsync();
        try
        {
            Assert.IsType<PassiveHostLifetime>(app.Services.GetRequiredService<IHostLifetime>());
            string url = Assert.Single(app.Urls);
            using var http = new HttpClient();
            using var response = await http.GetAsync(url);
            Assert.Equal("hello", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Server"));
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
