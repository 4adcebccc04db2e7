namespace Replicator.Hosting.Metrics.Tests;

public class RealPrometheusScrapeTests
{
    [Fact]
    public async Task PrometheusServer_ScrapesHost_CopiesSentRateAndReadinessQueryable()
    {
        await using var host = await ObservabilityHost.StartAsync();
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, System.Net.IPEndPoint> { ["vxsnd"] = host.Endpoint });
        using var traffic = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
            {
                host.Metrics.CopiesSent.Add(100);
                host.Metrics.Latency.Record(0.00003);
                await Task.Delay(50);
            }
        });

        try
        {
            double rate = await prometheus.WaitForAsync("rate(vxsnd_copies_sent_total[5s])", v => v > 0, TimeSpan.FromSeconds(30));
            double up = await prometheus.WaitForAsync("up{job=\"vxsnd\"}", v => v == 1, TimeSpan.FromSeconds(10));
            double ready = await prometheus.WaitForAsync("vxsnd_ready", v => v == 1, TimeSpan.FromSeconds(10));
            // Only the OpenMetrics exposition has _created series: Prometheus negotiated it and parsed it.
            double created = await prometheus.WaitForAsync("count(vxsnd_copies_sent_created)", v => v == 1, TimeSpan.FromSeconds(10));
            double p99 = await prometheus.WaitForAsync(
                "histogram_quantile(0.99, rate(vxsnd_replication_latency_seconds_bucket[5s]))", v => !double.IsNaN(v), TimeSpan.FromSeconds(10));

            Assert.True(rate > 0);
            Assert.Equal(1, up);
            Assert.Equal(1, ready);
            Assert.Equal(1, created);
            Assert.InRange(p99, 0.000025, 0.00005);
        }
        finally
        {
            traffic.Cancel();
            await sender;
        }
    }
}
