using Replicator.RegistrationDaemon.Tests.Observability;
using Replicator.TestSupport.Docs;

namespace Replicator.RegistrationDaemon.Tests.Docs;

/// <summary>
/// Every name the live scrape of the real daemon requires (<see cref="VxrdMetricsScrapeTests.Names"/>)
/// is in docs/metrics.md, so the reference cannot miss a metric the daemon is proven to expose.
/// </summary>
public sealed class MetricsReferenceTests
{
    [Fact]
    public void Reference_ListsEveryScrapedName()
    {
        var documented = MetricsReference.SampleNames();

        ReferenceTables.AssertNone(VxrdMetricsScrapeTests.Names.Where(n => !documented.Contains(n)).Select(n => $"{n}: scraped from the daemon, missing from {MetricsReference.Path}"));
    }
}
