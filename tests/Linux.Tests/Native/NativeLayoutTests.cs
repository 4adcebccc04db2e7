using System.Runtime.InteropServices;
using Replicator.Linux.Native;
using T = Tmds.Linux;

namespace Replicator.Linux.Tests.Native;

/// <summary>
/// The managed structs must match the LP64 glibc layout byte for byte (linux-x64 and linux-arm64 only). Tmds.LibC is the
/// oracle wherever it defines the struct; sockaddr_nl and timeval, which it lacks, are checked by a C compiler
/// (<see cref="CompilerLayoutTests"/>).
/// </summary>
public unsafe class NativeLayoutTests
{
    public static TheoryData<Type, Type> SharedStructs => new()
    {
        { typeof(iovec), typeof(T.iovec) },
        { typeof(msghdr), typeof(T.msghdr) },
        { typeof(mmsghdr), typeof(T.mmsghdr) },
        { typeof(sockaddr_in), typeof(T.sockaddr_in) },
        { typeof(sockaddr_in6), typeof(T.sockaddr_in6) },
        { typeof(timespec), typeof(T.timespec) },
        { typeof(cmsghdr), typeof(T.cmsghdr) },
    };

    [Theory]
    [MemberData(nameof(SharedStructs))]
    public void Size_SharedWithTmdsLibC_Matches(Type ours, Type theirs) =>
        Assert.Equal(Marshal.SizeOf(theirs), Marshal.SizeOf(ours));

    [Theory]
    [MemberData(nameof(SharedStructs))]
    public void FieldOffsets_SharedWithTmdsLibC_Match(Type ours, Type theirs)
    {
        foreach (string field in TmdsOracle.FieldNames(ours))
        {
            Assert.True(TmdsOracle.OffsetOf(theirs, field) == (int)Marshal.OffsetOf(ours, field), $"{ours.Name}.{field}");
        }
    }

    [Fact]
    public void Sizes_MatchStyleGuideLp64() // the LP64 figures written out, so a wrong oracle cannot pass unnoticed
    {
        Assert.Equal(16, sizeof(iovec));
        Assert.Equal(56, sizeof(msghdr));
        Assert.Equal(64, sizeof(mmsghdr));
        Assert.Equal(16, sizeof(sockaddr_in));
        Assert.Equal(28, sizeof(sockaddr_in6));
        Assert.Equal(12, sizeof(sockaddr_nl));
    }

    [Fact]
    public void Socket_InvalidDomain_ReturnsTypedErrno()
    {
        using var fd = LibC.OpenSocket(12345, LibC.SOCK_DGRAM, 0, out var errno);
        Assert.True(fd.IsInvalid);
        Assert.Equal(Errno.EAFNOSUPPORT, errno);
    }
}
