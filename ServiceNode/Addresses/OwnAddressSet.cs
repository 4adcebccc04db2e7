using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Replicator.Hosting.Addressing;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Addresses;

/// <summary>
/// One immutable snapshot of the addresses that are this node's: its own addresses (configured and
/// in the kernel's address table) and the broadcast addresses of its IPv4 subnets. The registry
/// refuses and hides them; the data plane drops datagrams from them. Lookups from the data plane
/// are binary searches over sorted arrays of plain values: no lock, no allocation.
/// </summary>
internal sealed class OwnAddressSet
{
    public static readonly OwnAddressSet Empty = new([], []);

    private readonly FrozenSet<VtepAddress> _own;
    private readonly FrozenSet<VtepAddress> _broadcasts;
    // Both kinds together, in the data plane's forms: IPv4 as the 4 address bytes read little-endian
    // (the in-memory sin_addr value, as VniMembers.IPv4), IPv6 as the 16 bytes read as one value.
    private readonly uint[] _ipv4;
    private readonly UInt128[] _ipv6;

    /// <param name="addresses">The node's addresses; IPv4-mapped forms count as IPv4.</param>
    /// <param name="broadcasts">Broadcast addresses of the node's subnets (those that are also own addresses stay own).</param>
    public OwnAddressSet(IEnumerable<IPAddress> addresses, IEnumerable<IPAddress> broadcasts)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(broadcasts);
        _own = addresses.Select(VtepAddress.FromIPAddress).ToFrozenSet();
        _broadcasts = broadcasts.Select(VtepAddress.FromIPAddress).Where(b => !_own.Contains(b)).ToFrozenSet();
        var v4 = new List<uint>();
        var v6 = new List<UInt128>();
        Span<byte> bytes = stackalloc byte[16];
        foreach (var address in _own.Concat(_broadcasts))
        {
            int length = address.WriteBytes(bytes);
            if (length == 4) v4.Add(BinaryPrimitives.ReadUInt32LittleEndian(bytes));
            else v6.Add(Unsafe.ReadUnaligned<UInt128>(ref bytes[0]));
        }
        _ipv4 = [.. v4.Order()];
        _ipv6 = [.. v6.Order()];
    }

    /// <summary>The node's own addresses.</summary>
    public IReadOnlySet<VtepAddress> Addresses => _own;

    /// <summary>Broadcast addresses of the node's IPv4 subnets that are not also own addresses.</summary>
    public IReadOnlySet<VtepAddress> Broadcasts => _broadcasts;

    /// <summary>Own addresses and broadcasts together.</summary>
    public int Count => _own.Count + _broadcasts.Count;

    /// <summary><see cref="AddressRefusal.Own"/>, <see cref="AddressRefusal.Broadcast"/> (a subnet broadcast of the node) or <see cref="AddressRefusal.None"/>.</summary>
    public AddressRefusal Classify(VtepAddress address) =>
        _own.Contains(address) ? AddressRefusal.Own : _broadcasts.Contains(address) ? AddressRefusal.Broadcast : AddressRefusal.None;

    /// <summary>True for an own address or a subnet broadcast of the node.</summary>
    public bool Contains(VtepAddress address) => _own.Contains(address) || _broadcasts.Contains(address);

    /// <summary>The data plane's test for an IPv4 source, in <c>sin_addr</c> form. Allocation-free.</summary>
    public bool ContainsIPv4(uint address) => _ipv4.Length != 0 && Array.BinarySearch(_ipv4, address) >= 0;

    /// <summary>The data plane's test for a 16-byte IPv6 source. Allocation-free.</summary>
    public unsafe bool ContainsIPv6(byte* address) =>
        _ipv6.Length != 0 && Array.BinarySearch(_ipv6, Unsafe.ReadUnaligned<UInt128>(address)) >= 0;

    /// <summary>Same members (own and broadcast alike).</summary>
    public bool SetEquals(OwnAddressSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _own.SetEquals(other._own) && _broadcasts.SetEquals(other._broadcasts);
    }

    /// <summary>
    /// The set for <paramref name="configured"/> addresses and a kernel address table: each entry's address,
    /// the broadcast the kernel reports, and for IPv4 prefixes up to /30 the subnet's directed broadcast
    /// (all host bits set) even where none was configured, and for IPv6 prefixes up to /126 the subnet-router
    /// anycast (host bits zero) as an own address. Unspecified addresses are left out, and with
    /// <paramref name="allowLoopback"/> loopback ones too (single-host tests; see AllowLoopbackVteps).
    /// </summary>
    public static OwnAddressSet From(IEnumerable<IPAddress> configured, IEnumerable<(IPAddress Address, int PrefixLength, IPAddress? Broadcast)> kernel, bool allowLoopback)
    {
        var own = new List<IPAddress>();
        var broadcasts = new List<IPAddress>();
        foreach (var address in configured) Add(own, address);
        foreach (var (address, prefixLength, broadcast) in kernel)
        {
            if (!Add(own, address)) continue;
            if (broadcast is not null) broadcasts.Add(AddressPolicy.Normalize(broadcast));
            var normalized = AddressPolicy.Normalize(address);
            if (normalized.AddressFamily == AddressFamily.InterNetwork && prefixLength is > 0 and <= 30)
            {
                uint value = BinaryPrimitives.ReadUInt32BigEndian(normalized.GetAddressBytes());
                uint hostBits = uint.MaxValue >> prefixLength;
                broadcasts.Add(new IPAddress(BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value | hostBits) : value | hostBits));
            }
            else if (normalized.AddressFamily == AddressFamily.InterNetworkV6 && prefixLength is > 0 and <= 126)
            {
                // The subnet-router anycast (RFC 4291 2.6.1: the prefix, host bits zero) is local to a
                // node that forwards, as a routing node does: a copy sent there comes back to us.
                own.Add(SubnetRouterAnycast(normalized, prefixLength));
            }
        }
        return new OwnAddressSet(own, broadcasts);

        static IPAddress SubnetRouterAnycast(IPAddress address, int prefixLength)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            for (int bit = prefixLength; bit < 128; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            return new IPAddress(bytes);
        }

        bool Add(List<IPAddress> list, IPAddress address)
        {
            var normalized = AddressPolicy.Normalize(address);
            var refusal = AddressPolicy.Classify(normalized);
            if (refusal == AddressRefusal.Unspecified || (allowLoopback && refusal == AddressRefusal.Loopback)) return false;
            list.Add(normalized);
            return true;
        }
    }
}
