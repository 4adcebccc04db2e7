using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/x86_64-linux-gnu/sys/epoll.h, bits/epoll.h
    public const int EPOLLIN = 0x001;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CLOEXEC = 0x80000;

    /// <summary>
    /// sizeof(struct epoll_event): glibc packs it on x86-64 (12 bytes: events, then the 8-byte data at
    /// offset 4) and not elsewhere (arm64: 16 bytes, data at 8). So the events are a byte buffer read
    /// through <see cref="EpollEventData"/>, not one managed struct that would be wrong on one of the two.
    /// </summary>
    public static int EpollEventSize => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static int EpollDataOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>epoll_create1(2). Returns the fd or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    /// <summary>epoll_ctl(2); <paramref name="ev"/> points at one epoll_event of <see cref="EpollEventSize"/> bytes.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, void* ev);

    /// <summary>epoll_wait(2): up to <paramref name="maxevents"/> events of <see cref="EpollEventSize"/> bytes each. Returns how many, or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int epoll_wait(int epfd, void* events, int maxevents, int timeout);

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/>, tagged with <paramref name="data"/> (epoll_data.u64).</summary>
    public static Errno EpollAdd(int epfd, int fd, int events, ulong data)
    {
        byte* ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(int*)ev = events;
        *(ulong*)(ev + EpollDataOffset) = data; // unaligned on x86-64, which allows it
        return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ev) == 0 ? Errno.SUCCESS : LastErrno;
    }

    /// <summary>epoll_data.u64 of event <paramref name="index"/> in a buffer epoll_wait filled.</summary>
    public static ulong EpollEventData(byte* events, int index) => *(ulong*)(events + (index * EpollEventSize) + EpollDataOffset);
}
