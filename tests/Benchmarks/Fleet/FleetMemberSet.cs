using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// One VTEP's member list of one VNI as the simulator holds it: a bit per fleet VTEP (its index, read
/// from the address, <see cref="FleetSettings.VtepAddress"/>) and a small set for any other address. A
/// HashSet of the decoded addresses cost the simulator most of its CPU at 5,000 VTEPs: 5,000 sets of up
/// to 5,000 <see cref="IPAddress"/> objects each, 25 million objects (gigabytes) the GC had to trace
/// again and again; this is 625 bytes per set.
/// </summary>
internal sealed class FleetMemberSet
{
    private ulong[] _bits = [];
    private HashSet<IPAddress>? _foreign;

    public FleetMemberSet()
    {
    }

    public FleetMemberSet(IEnumerable<IPAddress> addresses)
    {
        foreach (var a in addresses) Add(a);
    }

    /// <summary>Addresses held, fleet and foreign.</summary>
    public int Count => FleetCount + Foreign;

    /// <summary>Fleet VTEPs held.</summary>
    public int FleetCount { get; private set; }

    /// <summary>Addresses held that are no fleet VTEP's.</summary>
    public int Foreign => _foreign?.Count ?? 0;

    public void Clear()
    {
        Array.Clear(_bits);
        FleetCount = 0;
        _foreign = null;
    }

    public void Add(IPAddress address)
    {
        int i = IndexOf(address);
        if (i < 0)
        {
            (_foreign ??= []).Add(address);
            return;
        }
        if (i / 64 >= _bits.Length) Array.Resize(ref _bits, Math.Max(i / 64 + 1, _bits.Length * 2));
        ulong bit = 1UL << (i % 64);
        if ((_bits[i / 64] & bit) != 0) return;
        _bits[i / 64] |= bit;
        FleetCount++;
    }

    public void Remove(IPAddress address)
    {
        int i = IndexOf(address);
        if (i < 0)
        {
            _foreign?.Remove(address);
            return;
        }
        if (i / 64 >= _bits.Length) return;
        ulong bit = 1UL << (i % 64);
        if ((_bits[i / 64] & bit) == 0) return;
        _bits[i / 64] &= ~bit;
        FleetCount--;
    }

    /// <summary>Fleet VTEPs held by both this set and <paramref name="other"/>.</summary>
    public int CommonFleet(FleetMemberSet other)
    {
        int common = 0, n = Math.Min(_bits.Length, other._bits.Length);
        for (int w = 0; w < n; w++) common += BitOperations.PopCount(_bits[w] & other._bits[w]);
        return common;
    }

    /// <summary>The fleet VTEP index of <paramref name="address"/> (2001:db8:1::(i+1)); -1 for any other address.</summary>
    public static int IndexOf(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return -1;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        ReadOnlySpan<byte> prefix = [0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0];
        if (!bytes[..12].SequenceEqual(prefix)) return -1;
        uint host = (uint)bytes[12] << 24 | (uint)bytes[13] << 16 | (uint)bytes[14] << 8 | bytes[15];
        return host is 0 or > int.MaxValue ? -1 : (int)host - 1;
    }
}
