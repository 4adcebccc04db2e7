using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The immutable member set of one VNI, as the data plane reads it. Built by the control loop
/// whenever the VNI's membership changes and published whole through <see cref="MemberTable"/>;
/// replication workers read it without locks. Addresses are pre-split by family in the forms
/// the hot path needs, so nothing is converted per datagram.
/// </summary>
internal sealed class VniMembers
{
    public VniMembers(uint vni, IEnumerable<IPAddress> addresses)
    {
        Vni = vni;
        Addresses = addresses.Distinct().ToImmutableArray();
        var v4 = new List<uint>();
        var v6 = new List<byte>();
        Span<byte> b = stackalloc byte[16];
        foreach (var a in Addresses)
        {
            if (a.AddressFamily == AddressFamily.InterNetwork)
            {
                a.TryWriteBytes(b, out _);
                v4.Add(BinaryPrimitives.ReadUInt32LittleEndian(b));
            }
            else
            {
                a.TryWriteBytes(b, out _);
                v6.AddRange(b);
            }
        }
        IPv4 = [.. v4];
        IPv6 = [.. v6];
    }

    public uint Vni { get; }

    /// <summary>Every member, both families.</summary>
    public ImmutableArray<IPAddress> Addresses { get; }

    /// <summary>IPv4 members as the 4 address bytes read little-endian, i.e. exactly the <c>sin_addr</c> / IPv4 header field value in memory (network order bytes).</summary>
    public uint[] IPv4 { get; }

    /// <summary>IPv6 members, 16 bytes each, concatenated.</summary>
    public byte[] IPv6 { get; }

    public int IPv6Count => IPv6.Length / 16;

    /// <summary>True when the IPv4 address (same representation as <see cref="IPv4"/>) is a member. Allocation-free.</summary>
    public bool ContainsIPv4(uint address) => Array.IndexOf(IPv4, address) >= 0;

    /// <summary>True when the 16-byte IPv6 address is a member. Allocation-free.</summary>
    public bool ContainsIPv6(ReadOnlySpan<byte> address)
    {
        for (int i = 0; i < IPv6.Length; i += 16)
        {
            if (IPv6.AsSpan(i, 16).SequenceEqual(address)) return true;
        }
        return false;
    }
}
