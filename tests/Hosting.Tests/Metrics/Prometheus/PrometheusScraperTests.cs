namespace Replicator.Hosting.Metrics.Prometheus.Tests;

public class PrometheusScraperTests
{
    [Fact]
    public async Task ScrapeAsync_ManyConcurrentScrapes_AllCompleteWithWholeExpositions()
    {
        using var f = new ScrapeFixture();
        int callbacks = 0;
        f.Meter.CreateObservableGauge("conc.gauge", () =>
        {
            Interlocked.Increment(ref callbacks);
            Thread.Sleep(5);
            return 7;
        });
        var c = f.Meter.CreateCounter<long>("conc.counter");

        var scrapes = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            c.Add(1);
            return await f.ScrapeAsync();
        })).ToArray();
        string[] results = await Task.WhenAll(scrapes);

        foreach (string text in results)
        {
            Assert.Contains("# TYPE conc_gauge gauge\nconc_gauge 7\n", text);
            Assert.Single(text.Split('\n'), l => l == "# TYPE conc_counter_total counter");
        }

        // Waiting scrapes share collections, so callbacks ran at most once per scrape.
        Assert.InRange(callbacks, 1, 32);
    }

    [Fact]
    public async Task ScrapeAsync_NotAttachedToProvider_Throws()
    {
        using var scraper = new PrometheusScraper();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await scraper.ScrapeAsync());
    }

    [Fact]
    public async Task ScrapeAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        using var f = new ScrapeFixture();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await f.Scraper.ScrapeAsync(cts.Token));
    }
}
