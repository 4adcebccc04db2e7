using System.Runtime.CompilerServices;
using Replicator.Protocol.Native;

namespace Replicator.Protocol.Tests.Native;

/// <summary>The managed structs must match the LP64 glibc layout byte for byte (STYLE.md section 6).</summary>
public unsafe class NativeLayoutTests
{
    [Fact]
    public void Sizes_MatchLp64Glibc()
    {
        Assert.Equal(16, sizeof(iovec));
        Assert.Equal(56, sizeof(msghdr));
        Assert.Equal(64, sizeof(mmsghdr));
        Assert.Equal(16, sizeof(sockaddr_in));
        Assert.Equal(28, sizeof(sockaddr_in6));
        Assert.Equal(12, sizeof(sockaddr_nl));
        Assert.Equal(16, sizeof(timespec));
    }

    [Fact]
    public void MsghdrOffsets_MatchLp64Glibc()
    {
        msghdr m = default;
        byte* b = (byte*)&m;
        Assert.Equal(0, (byte*)&m.msg_name - b);
        Assert.Equal(8, (byte*)&m.msg_namelen - b);
        Assert.Equal(16, (byte*)&m.msg_iov - b);
        Assert.Equal(24, (byte*)&m.msg_iovlen - b);
        Assert.Equal(32, (byte*)&m.msg_control - b);
        Assert.Equal(40, (byte*)&m.msg_controllen - b);
        Assert.Equal(48, (byte*)&m.msg_flags - b);
        mmsghdr mm = default;
        Assert.Equal(56, (byte*)&mm.msg_len - (byte*)&mm);
    }

    [Fact]
    public void Socket_InvalidDomain_ReturnsTypedErrno()
    {
        using var fd = LibC.OpenSocket(12345, LibC.SOCK_DGRAM, 0, out var errno);
        Assert.True(fd.IsInvalid);
        Assert.Equal(Errno.EAFNOSUPPORT, errno);
    }
}
