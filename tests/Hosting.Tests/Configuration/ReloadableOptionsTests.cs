using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class ReloadableOptionsTests
{
    private static (IConfigurationRoot Root, ReloadableOptions<TestOptions> Options) Create(Dictionary<string, string?> values)
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new ReloadableOptions<TestOptions>(root, "Test", [new TestOptionsValidator()], NullLogger<ReloadableOptions<TestOptions>>.Instance);
        return (root, options);
    }

    [Fact]
    public void Constructor_ValidValues_BindsWithoutErrors()
    {
        var (_, options) = Create(new() { ["Test:Port"] = "4789", ["Test:Hold"] = "00:00:30" });
        Assert.Empty(options.StartupErrors);
        Assert.Equal(4789, options.Current.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Current.Hold);
        Assert.Equal("default", options.Current.Name);
    }

    [Fact]
    public void Constructor_SeveralBadValues_ReportsEveryKeyAndValue()
    {
        var (_, options) = Create(new() { ["Test:Port"] = "abc", ["Test:Hold"] = "-00:00:01", ["Test:Name"] = "x" });
        Assert.Equal(2, options.StartupErrors.Count);
        Assert.Contains(options.StartupErrors, e => e.Contains("Test:Port") && e.Contains("'abc'"));
        Assert.Contains(options.StartupErrors, e => e.Contains("Test:Hold") && e.Contains("-00:00:01"));
    }

    [Theory]
    [InlineData("45s", 45)]
    [InlineData("00:00:45", 45)]
    public void Constructor_DurationWithUnitOrTimeSpanForm_Binds(string text, int seconds)
    {
        var (_, options) = Create(new() { ["Test:Hold"] = text });
        Assert.Empty(options.StartupErrors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.Current.Hold);
    }

    [Fact]
    public void Constructor_BareNumberDuration_RefusedWithTheAcceptedForms()
    {
        var (_, options) = Create(new() { ["Test:Hold"] = "90" });
        string error = Assert.Single(options.StartupErrors);
        Assert.Equal($"Test:Hold = '90': not a valid {DurationText.Format}", error);
    }

    [Fact]
    public void Reload_InvalidValue_KeepsLastGoodAndRaisesNothing()
    {
        var (root, options) = Create(new() { ["Test:Port"] = "1000" });
        int changes = 0;
        options.Changed += _ => changes++;
        root["Test:Port"] = "70000";
        root.Reload();
        Assert.Equal(1000, options.Current.Port);
        Assert.Equal(0, changes);
    }

    [Fact]
    public void Reload_ValidChange_SwapsValueAndRaisesChanged()
    {
        var (root, options) = Create(new() { ["Test:Port"] = "1000" });
        TestOptions? seen = null;
        options.Changed += o => seen = o;
        var before = options.Current;
        root["Test:Port"] = "2000";
        root.Reload();
        Assert.Equal(2000, options.Current.Port);
        Assert.Same(options.Current, seen);
        Assert.Equal(1000, before.Port);
    }

    [Fact]
    public void Reload_OtherSectionChanged_RaisesNothing()
    {
        var (root, options) = Create(new() { ["Test:Port"] = "1000" });
        int changes = 0;
        options.Changed += _ => changes++;
        root["Other:Key"] = "x";
        root.Reload();
        Assert.Equal(0, changes);
    }
}
