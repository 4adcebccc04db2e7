using System.Net.NetworkInformation;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>The MAC packing of <see cref="NextHop"/>: 6 bytes in the low 48 bits, the first byte most significant.</summary>
internal static class MacAddresses
{
    /// <summary>Packs a 6-byte address; false for any other length (not Ethernet).</summary>
    public static bool TryPack(PhysicalAddress? address, out ulong packed)
    {
        packed = 0;
        if (address is null)
        {
            return false;
        }
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length != 6)
        {
            return false;
        }
        foreach (byte b in bytes)
        {
            packed = (packed << 8) | b;
        }
        return true;
    }

    /// <summary>The 6 bytes of a packed address, in wire order.</summary>
    public static void Unpack(ulong packed, Span<byte> destination)
    {
        for (int i = 5; i >= 0; i--)
        {
            destination[i] = (byte)packed;
            packed >>= 8;
        }
    }

    public static string Format(ulong packed)
    {
        Span<byte> bytes = stackalloc byte[6];
        Unpack(packed, bytes);
        return string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
