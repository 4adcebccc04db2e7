using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class ConfigurationKeysCheckTests
{
    private sealed class ListOptions
    {
        public List<string> Peers { get; set; } = [];
        public bool Enabled { get; set; }
        public TestMode Mode { get; set; }
    }

    private enum TestMode { HeadEnd, ServiceNode }

    private static readonly ConfigurationSectionKeys[] Keys =
    [
        ConfigurationSectionKeys.Of<TestOptions>("Test"),
        ConfigurationSectionKeys.Of<ListOptions>("Test"),
        new("Test", [new("MetricsEndpoint", typeof(string))]),
    ];

    private static IReadOnlyList<string> CheckJson(string json, params string[] commandLine)
    {
        var config = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)))
            .AddCommandLine(commandLine)
            .Build();
        return ConfigurationKeysCheck.Check(config, Keys);
    }

    [Theory]
    [InlineData("Prot", "Port")]
    [InlineData("PORT", null)]
    [InlineData("Hodl", "Hold")]
    [InlineData("metricsendpiont", "MetricsEndpoint")]
    [InlineData("Peer", "Peers")]
    [InlineData("Moode", "Mode")]
    public void Check_MisspeltKey_NamesKeyAndNearestKnownKey(string key, string? nearest)
    {
        var errors = CheckJson($$"""{ "Test": { "{{key}}": "1" } }""");

        if (nearest is null)
        {
            // Keys are case-insensitive: a different case is the same key, not a misspelling.
            Assert.DoesNotContain(errors, e => e.Contains("unknown key", StringComparison.Ordinal));
            return;
        }
        Assert.Equal($"Test:{key}: unknown key; did you mean {nearest}?", Assert.Single(errors));
    }

    [Fact]
    public void Check_UnknownKeyOnCommandLine_IsRefusedToo()
    {
        var errors = CheckJson("{}", "--Test:Foo=1");

        Assert.StartsWith("Test:Foo: unknown key; did you mean ", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OtherSections_AreNotChecked()
    {
        Assert.Empty(CheckJson("""{ "Logging": { "LogLevel": { "Default": "Warning" } }, "Other": { "Anything": 1 } }""", "--DOTNET_gcServer=0"));
    }

    [Theory]
    [InlineData("""[1,2]""", "Test:Port: expected a number, got an array")]
    [InlineData("""{"a":1}""", "Test:Port: expected a number, got an object")]
    [InlineData("null", "Test:Port: expected a number, got null")]
    [InlineData("[]", "Test:Port: expected a number, got an empty value")]
    [InlineData("\"\"", "Test:Port: expected a number, got an empty value")]
    public void Check_WrongShapeForNumber_NamesKeyAndShape(string value, string expected)
    {
        Assert.Equal(expected, Assert.Single(CheckJson($$"""{ "Test": { "Port": {{value}} } }""")));
    }

    [Theory]
    [InlineData("Enabled", "[true]", "Test:Enabled: expected true or false, got an array")]
    [InlineData("Mode", "null", "Test:Mode: expected one of HeadEnd, ServiceNode, got null")]
    [InlineData("Hold", "{\"s\":1}", "Test:Hold: expected a duration")]
    [InlineData("Name", "null", "Test:Name: expected a string, got null")]
    [InlineData("MetricsEndpoint", "[\"127.0.0.1:1\"]", "Test:MetricsEndpoint: expected a string, got an array")]
    public void Check_WrongShapeForScalar_NamesKeyAndShape(string key, string value, string expected)
    {
        Assert.StartsWith(expected, Assert.Single(CheckJson($$"""{ "Test": { "{{key}}": {{value}} } }""")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["198.51.100.2", "198.51.100.6"]""")]
    [InlineData("[]")]
    public void Check_ArrayWhereAListBelongs_IsFine(string value)
    {
        Assert.Empty(CheckJson($$"""{ "Test": { "Peers": {{value}} } }"""));
    }

    [Theory]
    [InlineData("\"198.51.100.2\"", "Test:Peers: expected a list (a JSON array, or Test:Peers:0=... Test:Peers:1=... on the command line), got a single value '198.51.100.2'")]
    [InlineData("{\"a\":\"198.51.100.2\"}", "Test:Peers: expected a list, got an object")]
    [InlineData("null", "Test:Peers: expected a list, got null")]
    [InlineData("[\"198.51.100.2\", [1]]", "Test:Peers:1: expected a string, got an array")]
    [InlineData("[null]", "Test:Peers:0: expected a string, got null")]
    public void Check_WrongShapeForList_NamesKeyAndShape(string value, string expected)
    {
        Assert.Equal(expected, Assert.Single(CheckJson($$"""{ "Test": { "Peers": {{value}} } }""")));
    }

    [Fact]
    public void Check_ListOnCommandLine_IsFine()
    {
        Assert.Empty(CheckJson("{}", "--Test:Peers:0=198.51.100.2", "--Test:Peers:1=198.51.100.6"));
    }

    [Fact]
    public void Check_SeveralProblems_ReportsEveryOne()
    {
        var errors = CheckJson("""{ "Test": { "ControlPrt": 1, "Port": [1,2], "Hodl": "1s", "Peers": "198.51.100.2", "Name": "fine" } }""");

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Test:ControlPrt: unknown key; did you mean ", StringComparison.Ordinal));
        Assert.Contains("Test:Hodl: unknown key; did you mean Hold?", errors);
        Assert.Contains("Test:Port: expected a number, got an array", errors);
        Assert.Contains(errors, e => e.StartsWith("Test:Peers: expected a list", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SectionGivenAsSingleValue_IsAnError()
    {
        Assert.Equal("Test: expected a section of keys, got a single value '5'", Assert.Single(CheckJson("""{ "Test": 5 }""")));
    }

    [Fact]
    public void CheckSections_MisspeltSection_NamesNearest()
    {
        var errors = ConfigurationKeysCheck.CheckSections(["Tset", "Logging", "test", "Loging"], Keys);

        Assert.Equal(["Tset: unknown section; did you mean Test?", "Loging: unknown section; did you mean Logging?"], errors);
    }

    [Fact]
    public void Of_OptionsClass_KnowsEverySettableProperty()
    {
        var keys = ConfigurationSectionKeys.Of<TestOptions>("Test");

        Assert.Equal(["Hold", "Name", "Port"], keys.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(typeof(int), keys.Keys["port"]);
    }

    private sealed class NestedOptions
    {
        [FormerKey("NestedPort")]
        public int Port { get; set; }

        public TimeSpan Interval { get; set; }
    }

    private static readonly ConfigurationSectionKeys[] NestedKeys =
    [
        ConfigurationSectionKeys.Of<TestOptions>("Test"),
        ConfigurationSectionKeys.Of<NestedOptions>("Test:Nested"),
    ];

    private static IReadOnlyList<string> CheckNested(string json) =>
        ConfigurationKeysCheck.Check(new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build(), NestedKeys);

    [Fact]
    public void Check_NestedSection_IsAKnownKeyOfItsParent()
    {
        Assert.Empty(CheckNested("""{ "Test": { "Port": 1, "Nested": { "Port": 2, "Interval": "5s" } } }"""));
    }

    [Fact]
    public void Check_UnknownKeyInNestedSection_NamesKeyAndNearest()
    {
        Assert.Equal("Test:Nested:Intervall: unknown key; did you mean Interval?",
            Assert.Single(CheckNested("""{ "Test": { "Nested": { "Intervall": "5s" } } }""")));
    }

    [Fact]
    public void Check_WrongShapeInNestedSection_NamesKeyAndShape()
    {
        Assert.Equal("Test:Nested:Port: expected a number, got an array", Assert.Single(CheckNested("""{ "Test": { "Nested": { "Port": [1] } } }""")));
        Assert.Equal("Test:Nested: expected a section of keys, got a single value '5'", Assert.Single(CheckNested("""{ "Test": { "Nested": 5 } }""")));
    }

    [Theory]
    [InlineData("Interval", "Test:Interval: unknown key; it moved to Test:Nested:Interval")]
    [InlineData("NestedPort", "Test:NestedPort: unknown key; it moved to Test:Nested:Port")]
    [InlineData("Nestd", "Test:Nestd: unknown key; did you mean Nested?")]
    public void Check_OldFlatKeyOfANestedSection_NamesWhereItMoved(string key, string expected)
    {
        Assert.Equal(expected, Assert.Single(CheckNested($$"""{ "Test": { "{{key}}": "1" } }""")));
    }

    [Fact]
    public void CheckSections_NestedSection_KnowsItsTopLevelSection()
    {
        Assert.Empty(ConfigurationKeysCheck.CheckSections(["Test", "Logging"], [ConfigurationSectionKeys.Of<NestedOptions>("Test:Nested")]));
    }
}
