using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public class ReplicationOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new ReplicationOptionsValidator().Validate(null, new ReplicationOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ManyBadValues_ReportsEachWithKeyAndValue()
    {
        var options = new ReplicationOptions
        {
            Address = "not-an-ip",
            Port = 0,
            DestinationPort = 70000,
            Workers = -1,
            ReceiveBatch = 0,
            SendBatch = 2000,
            ReceiveBufferBytes = -5,
            Ttl = 0,
            SourceMode = (SourceMode)7,
        };
        var result = new ReplicationOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(9, failures.Count);
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:Address") && f.Contains("not-an-ip"));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:Port") && f.Contains('0'));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:DestinationPort") && f.Contains("70000"));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:Workers") && f.Contains("-1"));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:SendBatch") && f.Contains("2000"));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:ReceiveBufferBytes") && f.Contains("-5"));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:Ttl"));
        Assert.Contains(failures, f => f.Contains("ServiceNode:DataPlane:SourceMode") && f.Contains('7'));
    }

    [Fact]
    public void From_NoDataAddress_UsesControlAddressAndCores()
    {
        var settings = ReplicationSettings.From(new ReplicationOptions(), "192.0.2.7");
        Assert.Equal("192.0.2.7", settings.DataAddress.ToString());
        Assert.Equal(Environment.ProcessorCount, settings.Workers);
    }

    /// <summary>In a cluster the control address is the node's own, but BUM traffic arrives at the anycast.</summary>
    [Theory]
    [InlineData("198.51.100.2", "203.0.113.1", "0.0.0.0")]
    [InlineData("2001:db8::2", "2001:db8:ffff::1", "::")]
    [InlineData("198.51.100.2", "2001:db8:ffff::1", "::")]
    public void From_NoDataAddressWithAnycast_UsesTheWildcard(string control, string anycast, string expected)
    {
        Assert.Equal(expected, ReplicationSettings.From(new ReplicationOptions(), control, anycast).DataAddress.ToString());
        Assert.Equal("192.0.2.9", ReplicationSettings.From(new ReplicationOptions { Address = "192.0.2.9" }, control, anycast).DataAddress.ToString());
    }

    [Theory]
    [InlineData(nameof(TransmitPath.Packet), nameof(SourceMode.Node), false)]
    [InlineData(nameof(TransmitPath.Auto), nameof(SourceMode.Node), true)]
    [InlineData(nameof(TransmitPath.Raw), nameof(SourceMode.Node), true)]
    [InlineData(nameof(TransmitPath.Packet), nameof(SourceMode.Preserve), true)]
    [InlineData("9", nameof(SourceMode.Preserve), false)]
    public void Validate_Transmit_PacketNeedsPreserve(string transmit, string mode, bool valid)
    {
        var options = new ReplicationOptions { Transmit = Enum.Parse<TransmitPath>(transmit), SourceMode = Enum.Parse<SourceMode>(mode) };
        var result = new ReplicationOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains(result.Failures!, f => f.Contains("ServiceNode:DataPlane:Transmit"));
    }

    [Fact]
    public void From_Transmit_CarriedIntoSettings()
    {
        var settings = ReplicationSettings.From(new ReplicationOptions { Transmit = TransmitPath.Auto }, "192.0.2.7");
        Assert.Equal(TransmitPath.Auto, settings.Transmit);
        Assert.True(settings.UsesPacketPath);
        Assert.False((settings with { Transmit = TransmitPath.Raw }).UsesPacketPath);
        Assert.False((settings with { SourceMode = SourceMode.Node }).UsesPacketPath);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(16, true)]
    [InlineData(1024, true)]
    [InlineData(ReplicationOptionsValidator.MaxPacketRingFrames, true)]
    [InlineData(15, false)]
    [InlineData(-1, false)]
    [InlineData(ReplicationOptionsValidator.MaxPacketRingFrames + 1, false)]
    public void Validate_PacketRingFrames_ZeroOrBounded(int frames, bool valid)
    {
        var result = new ReplicationOptionsValidator().Validate(null, new ReplicationOptions { PacketRingFrames = frames });
        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains(result.Failures!, f => f.Contains("ServiceNode:DataPlane:PacketRingFrames"));
    }

    [Fact]
    public void From_PacketRingFrames_DefaultAndCarriedIntoSettings()
    {
        Assert.Equal(ReplicationOptions.DefaultPacketRingFrames, ReplicationSettings.From(new ReplicationOptions(), "192.0.2.7").PacketRingFrames);
        Assert.Equal(0, ReplicationSettings.From(new ReplicationOptions { PacketRingFrames = 0 }, "192.0.2.7").PacketRingFrames);
    }
}
