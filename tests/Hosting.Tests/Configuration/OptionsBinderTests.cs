using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class OptionsBinderTests
{
    private static (TestOptions Value, List<string> Errors) BindJson(string json)
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var errors = new List<string>();
        return (OptionsBinder.Bind<TestOptions>(config.GetSection("Test"), errors), errors);
    }

    [Fact]
    public void Bind_Null_IsAnErrorNotTheDefault()
    {
        var (_, errors) = BindJson("""{ "Test": { "Port": null } }""");

        Assert.Equal("Test:Port: expected a number, got null", Assert.Single(errors));
    }

    [Theory]
    [InlineData("[1,2]", "an array")]
    [InlineData("""{"a":1}""", "an object")]
    public void Bind_ArrayOrObjectForNumber_IsAnError(string value, string got)
    {
        var (_, errors) = BindJson($$"""{ "Test": { "Port": {{value}}, "Hold": "1s", "Name": "n" } }""");

        Assert.Equal($"Test:Port: expected a number, got {got}", Assert.Single(errors));
    }

    [Fact]
    public void Bind_AbsentKey_KeepsDefaultWithoutError()
    {
        var (value, errors) = BindJson("""{ "Test": { "Name": "x" } }""");

        Assert.Empty(errors);
        Assert.Equal(10001, value.Port);
        Assert.Equal("x", value.Name);
    }

    private sealed class ListOptions
    {
        public List<string> Peers { get; set; } = ["default"];
    }

    [Theory]
    [InlineData("""["198.51.100.2","198.51.100.6"]""", "198.51.100.2,198.51.100.6")]
    [InlineData("[]", "")]
    public void Bind_ArrayForList_BindsTheList(string value, string expected)
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{ "Test": { "Peers": {{value}} } }"""))).Build();
        var errors = new List<string>();

        var options = OptionsBinder.Bind<ListOptions>(config.GetSection("Test"), errors);

        Assert.Empty(errors);
        Assert.Equal(expected, string.Join(',', options.Peers));
    }

    [Fact]
    public void Bind_EmptyString_EmptiesAString()
    {
        var (value, errors) = BindJson("""{ "Test": { "Name": "" } }""");

        Assert.Empty(errors);
        Assert.Equal("", value.Name);
    }
}
