using System.Net;
using Replicator.Hosting.Addressing;

namespace Replicator.Hosting.Tests.Addressing;

public class AddressPolicyTests
{
    [Theory]
    [InlineData("192.0.2.1", AddressRefusal.None)]
    [InlineData("198.51.100.255", AddressRefusal.None)] // a directed broadcast only the subnet knows: see Own
    [InlineData("203.0.113.9", AddressRefusal.None)]
    [InlineData("2001:db8::1", AddressRefusal.None)]
    [InlineData("0.0.0.0", AddressRefusal.Unspecified)]
    [InlineData("0.1.2.3", AddressRefusal.Unspecified)]
    [InlineData("::", AddressRefusal.Unspecified)]
    [InlineData("127.0.0.1", AddressRefusal.Loopback)]
    [InlineData("127.255.0.9", AddressRefusal.Loopback)]
    [InlineData("::1", AddressRefusal.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressRefusal.Loopback)]
    [InlineData("224.0.0.1", AddressRefusal.Multicast)]
    [InlineData("239.1.1.1", AddressRefusal.Multicast)]
    [InlineData("ff02::1", AddressRefusal.Multicast)]
    [InlineData("255.255.255.255", AddressRefusal.Broadcast)]
    [InlineData("240.0.0.1", AddressRefusal.Reserved)]
    [InlineData("::192.0.2.1", AddressRefusal.Reserved)]
    [InlineData("169.254.1.1", AddressRefusal.LinkLocal)]
    [InlineData("fe80::1", AddressRefusal.LinkLocal)]
    [InlineData("fe80::1%2", AddressRefusal.LinkLocal)]
    [InlineData("febf::1", AddressRefusal.LinkLocal)]
    [InlineData("fec0::1", AddressRefusal.None)]
    [InlineData("::ffff:192.0.2.1", AddressRefusal.None)]
    public void Classify_Address_GivesItsClass(string text, AddressRefusal expected)
    {
        var address = IPAddress.Parse(text);

        Assert.Equal(expected, AddressPolicy.Classify(address));
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        Assert.Equal(expected, AddressPolicy.Classify(bytes[..written]));
    }

    [Fact]
    public void Classify_OwnAddress_IsOwnEvenWhenMapped()
    {
        var own = new HashSet<IPAddress> { IPAddress.Parse("192.0.2.6"), IPAddress.Parse("2001:db8::6") };

        Assert.Equal(AddressRefusal.Own, AddressPolicy.Classify(IPAddress.Parse("192.0.2.6"), own));
        Assert.Equal(AddressRefusal.Own, AddressPolicy.Classify(IPAddress.Parse("::ffff:192.0.2.6"), own));
        Assert.Equal(AddressRefusal.Own, AddressPolicy.Classify(IPAddress.Parse("2001:db8::6"), own));
        Assert.Equal(AddressRefusal.None, AddressPolicy.Classify(IPAddress.Parse("192.0.2.7"), own));
        Assert.Equal(AddressRefusal.Loopback, AddressPolicy.Classify(IPAddress.Loopback, own));
    }

    [Fact]
    public void Classify_WrongLength_IsUnspecified() =>
        Assert.Equal(AddressRefusal.Unspecified, AddressPolicy.Classify(new byte[5]));

    [Fact]
    public void Normalize_Mapped_BecomesIPv4() =>
        Assert.Equal(IPAddress.Parse("192.0.2.1"), AddressPolicy.Normalize(IPAddress.Parse("::ffff:192.0.2.1")));

    [Fact]
    public void Normalize_MappedEndPoint_BecomesIPv4SamePort()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4789), AddressPolicy.Normalize(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 4789)));
        var plain = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4789);
        Assert.Same(plain, AddressPolicy.Normalize(plain));
    }

    [Fact]
    public void TagAndDescribe_EveryRefusal_HasText()
    {
        foreach (var r in Enum.GetValues<AddressRefusal>())
        {
            Assert.NotEqual("unknown", AddressPolicy.Tag(r));
            Assert.NotEqual("is refused", AddressPolicy.Describe(r));
        }
    }
}
