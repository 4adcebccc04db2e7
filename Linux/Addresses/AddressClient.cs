using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Addresses;

/// <summary>
/// Reads, adds and removes interface addresses over rtnetlink (the node's own addresses; an anycast address on a loopback).
/// Idempotent like <see cref="Fdb.FdbClient"/>: adding an existing address or deleting a missing one succeeds
/// with <see cref="NetlinkResult.Unchanged"/>. Thread-safe.
/// </summary>
public sealed class AddressClient : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly Lock _gate = new();
    private readonly byte[] _request = new byte[128];

    /// <summary>The loopback's ifindex in every network namespace (LOOPBACK_IFINDEX, include/net/net_namespace.h).</summary>
    public const int LoopbackIfIndex = 1;

    private AddressClient(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens its own netlink socket; throws <see cref="NativeException"/> when it cannot.</summary>
    public static AddressClient Open(TimeSpan? timeout = null) => new(NetlinkSocket.Open(timeout ?? TimeSpan.FromSeconds(5)));

    /// <summary>
    /// RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL, IFA_LOCAL and IFA_ADDRESS = <paramref name="address"/>, scope
    /// global; IPv6 addresses get IFA_F_NODAD so they are usable at once (no tentative state). EEXIST counts
    /// as success. Equivalent to: <c>ip addr add 192.0.2.10/32 dev lo</c> (IPv6: <c>... nodad</c>).
    /// </summary>
    public NetlinkResult Add(int ifindex, IPAddress address, int prefixLength) =>
        Change(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, ifindex, address, prefixLength);

    /// <summary>
    /// RTM_DELADDR for <paramref name="address"/>/<paramref name="prefixLength"/>. A missing address
    /// (EADDRNOTAVAIL, ENOENT) counts as success. Equivalent to: <c>ip addr del 192.0.2.10/32 dev lo</c>.
    /// </summary>
    public NetlinkResult Delete(int ifindex, IPAddress address, int prefixLength) =>
        Change(Nl.RTM_DELADDR, 0, ifindex, address, prefixLength);

    /// <summary>
    /// Adds <paramref name="address"/> as a host address (<see cref="HostPrefixLength"/>), as vxsnd holds its
    /// anycast address on the loopback; IPv6 without duplicate address detection. A present address counts
    /// as success (<see cref="NetlinkResult.Unchanged"/>). Equivalent to: <c>ip addr add 203.0.113.1/32 dev lo</c>
    /// (IPv6: <c>ip addr add 2001:db8::1/128 dev lo nodad</c>).
    /// </summary>
    public NetlinkResult AddHost(int ifindex, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Add(ifindex, address, HostPrefixLength(address));
    }

    /// <summary>
    /// Removes the host address <paramref name="address"/>; an absent one counts as success
    /// (<see cref="NetlinkResult.Unchanged"/>). Equivalent to: <c>ip addr del 203.0.113.1/32 dev lo</c>.
    /// </summary>
    public NetlinkResult DeleteHost(int ifindex, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Delete(ifindex, address, HostPrefixLength(address));
    }

    /// <summary>The prefix length of a host address: /32 for IPv4 (and IPv4-mapped IPv6), /128 for IPv6.</summary>
    public static int HostPrefixLength(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? 128 : 32;
    }

    /// <summary>
    /// Every IPv4 and IPv6 address of every interface in this network namespace (RTM_GETADDR dump,
    /// AF_UNSPEC). Retried up to <see cref="NetlinkSocket.DumpAttempts"/> times while NLM_F_DUMP_INTR; the result then
    /// reports it. Equivalent to: <c>ip addr show</c>.
    /// </summary>
    public DumpResult<KernelAddress> DumpAddresses()
    {
        lock (_gate)
        {
            return _socket.DumpAll(() =>
            {
                var writer = new NetlinkMessageWriter(_request, Nl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, _socket.NextSequence());
                writer.WriteFamilyHeader(new ifaddrmsg { ifa_family = LibC.AF_UNSPEC });
                writer.TryFinish(out int size);
                return _request.AsSpan(0, size);
            }, static (NetlinkMessage message, [MaybeNullWhen(false)] out KernelAddress address) =>
            {
                address = default;
                return message.Type == Nl.RTM_NEWADDR && AddressParser.TryParse(message, out address);
            });
        }
    }

    public void Dispose() => _socket.Dispose();

    private NetlinkResult Change(ushort type, ushort flags, int ifindex, IPAddress address, int prefixLength)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (!v6 && address.AddressFamily != AddressFamily.InterNetwork)
        {
            return new NetlinkResult(Errno.EAFNOSUPPORT, $"address {address} is neither IPv4 nor IPv6");
        }
        if (ifindex <= 0 || prefixLength < 0 || prefixLength > (v6 ? 128 : 32))
        {
            return new NetlinkResult(Errno.EINVAL, $"bad ifindex {ifindex} or prefix length {prefixLength}");
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        lock (_gate)
        {
            var writer = new NetlinkMessageWriter(_request, type, (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | flags), _socket.NextSequence());
            writer.WriteFamilyHeader(new ifaddrmsg
            {
                ifa_family = (byte)(v6 ? LibC.AF_INET6 : LibC.AF_INET),
                ifa_prefixlen = (byte)prefixLength,
                ifa_scope = Nl.RT_SCOPE_UNIVERSE,
                ifa_index = ifindex,
            });
            writer.AddAttribute(Nl.IFA_LOCAL, bytes[..length]);
            writer.AddAttribute(Nl.IFA_ADDRESS, bytes[..length]);
            if (v6 && type == Nl.RTM_NEWADDR)
            {
                writer.AddUInt32(Nl.IFA_FLAGS, Nl.IFA_F_NODAD);
            }
            if (!writer.TryFinish(out int size))
            {
                return new NetlinkResult(Errno.EMSGSIZE, "request did not fit");
            }
            var result = _socket.Execute(_request.AsSpan(0, size));
            bool alreadyDone = type == Nl.RTM_NEWADDR
                ? result.Errno == Errno.EEXIST
                : result.Errno is Errno.EADDRNOTAVAIL or Errno.ENOENT;
            return alreadyDone ? new NetlinkResult(Errno.SUCCESS, result.ExtendedAck, Unchanged: true) : result;
        }
    }
}
