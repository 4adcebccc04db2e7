using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Addresses;
using Replicator.Protocol.Native;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Adds and removes one host address on the loopback, for the anycast address: the shared
/// <see cref="AddressClient"/> with the loopback and the host prefix filled in. Idempotent: adding a
/// present address or removing an absent one succeeds. Errors are returned as <see cref="Errno"/>,
/// never thrown, except when opening. Thread-safe.
/// </summary>
public sealed class LoopbackAddressClient : IDisposable
{
    /// <summary>The loopback's ifindex in every network namespace (LOOPBACK_IFINDEX, include/net/net_namespace.h).</summary>
    public const int LoopbackIfIndex = 1;

    private readonly AddressClient _client;

    private LoopbackAddressClient(AddressClient client) => _client = client;

    /// <summary>Opens a netlink socket with a receive timeout; throws <see cref="NativeException"/> when it cannot.</summary>
    public static LoopbackAddressClient Open(TimeSpan? timeout = null) => new(AddressClient.Open(timeout));

    /// <summary>
    /// Adds the host prefix of <paramref name="address"/> (IPv6 without duplicate address detection); a
    /// present address counts as success. Equivalent to: <c>ip addr add 203.0.113.1/32 dev lo</c>
    /// (IPv6: <c>ip addr add 2001:db8::1/128 dev lo nodad</c>).
    /// </summary>
    public Errno Add(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _client.Add(LoopbackIfIndex, address, HostPrefixLength(address)).Errno;
    }

    /// <summary>
    /// Removes the host prefix; an absent address counts as success.
    /// Equivalent to: <c>ip addr del 203.0.113.1/32 dev lo</c>.
    /// </summary>
    /// <param name="removed">True when the address was there.</param>
    public Errno Delete(IPAddress address, out bool removed)
    {
        ArgumentNullException.ThrowIfNull(address);
        var result = _client.Delete(LoopbackIfIndex, address, HostPrefixLength(address));
        removed = result.Errno == Errno.SUCCESS && !result.Unchanged;
        return result.Errno;
    }

    /// <summary>/32 for IPv4 (and IPv4-mapped), /128 for IPv6.</summary>
    public static int HostPrefixLength(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? 128 : 32;

    public void Dispose() => _client.Dispose();
}
