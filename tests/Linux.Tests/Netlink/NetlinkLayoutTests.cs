using System.Runtime.CompilerServices;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Netlink;

/// <summary>Sizes and offsets as typed from the kernel headers (Tmds.LibC has no netlink); Native/CompilerLayoutTests proves them with gcc.</summary>
public unsafe class NetlinkLayoutTests
{
    [Fact]
    public void Sizes_MatchKernelHeaders()
    {
        Assert.Equal(16, sizeof(nlmsghdr));
        Assert.Equal(4, sizeof(rtattr));
        Assert.Equal(16, sizeof(ifinfomsg));
        Assert.Equal(12, sizeof(ndmsg));
        Assert.Equal(8, sizeof(ifaddrmsg));
        Assert.Equal(20, sizeof(nlmsgerr));
        Assert.Equal(12, sizeof(rtmsg));
    }

    [Fact]
    public void Offsets_MatchKernelHeaders()
    {
        ifinfomsg i = default;
        Assert.Equal(2, (byte*)&i.ifi_type - (byte*)&i);
        Assert.Equal(4, (byte*)&i.ifi_index - (byte*)&i);
        Assert.Equal(8, (byte*)&i.ifi_flags - (byte*)&i);
        Assert.Equal(12, (byte*)&i.ifi_change - (byte*)&i);
        ndmsg n = default;
        Assert.Equal(4, (byte*)&n.ndm_ifindex - (byte*)&n);
        Assert.Equal(8, (byte*)&n.ndm_state - (byte*)&n);
        Assert.Equal(10, (byte*)&n.ndm_flags - (byte*)&n);
        Assert.Equal(11, (byte*)&n.ndm_type - (byte*)&n);
        rtmsg r = default;
        Assert.Equal(4, (byte*)&r.rtm_table - (byte*)&r);
        Assert.Equal(7, (byte*)&r.rtm_type - (byte*)&r);
        Assert.Equal(8, (byte*)&r.rtm_flags - (byte*)&r);
        ifaddrmsg a = default;
        Assert.Equal(1, (byte*)&a.ifa_prefixlen - (byte*)&a);
        Assert.Equal(4, (byte*)&a.ifa_index - (byte*)&a);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(10, 12)]
    public void Align_RoundsUpToFour(int length, int expected) => Assert.Equal(expected, Nl.Align(length));
}
