using System.Net;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>A total order on addresses (IPv4 before IPv6, then bytewise) for stable output.</summary>
internal static class AddressOrder
{
    public static int Compare(IPAddress? x, IPAddress? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int family = x.AddressFamily.CompareTo(y.AddressFamily);
        if (family != 0) return family;
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        x.TryWriteBytes(a, out int la);
        y.TryWriteBytes(b, out int lb);
        int bytes = a[..la].SequenceCompareTo(b[..lb]);
        return bytes != 0 || x.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 ? bytes : x.ScopeId.CompareTo(y.ScopeId);
    }
}
