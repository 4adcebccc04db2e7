using System.Net;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Addresses;

/// <summary>Decodes RTM_NEWADDR / RTM_DELADDR messages into <see cref="KernelAddress"/>.</summary>
public static class AddressParser
{
    /// <summary>
    /// False when the message is not an AF_INET/AF_INET6 address message or is malformed (no address,
    /// an attribute of the wrong length, a bad attribute length).
    /// </summary>
    public static bool TryParse(NetlinkMessage message, out KernelAddress address)
    {
        address = default;
        if (!message.TryGetFamilyHeader(out ifaddrmsg header, out var attributes)) return false;
        int length = header.ifa_family switch { LibC.AF_INET => 4, LibC.AF_INET6 => 16, _ => 0 };
        if (length == 0) return false;
        ReadOnlySpan<byte> local = default, peer = default, broadcast = default;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Nl.IFA_LOCAL: local = attribute.Value; break;
                case Nl.IFA_ADDRESS: peer = attribute.Value; break;
                case Nl.IFA_BROADCAST: broadcast = attribute.Value; break;
            }
        }
        if (attributes.Error != NetlinkReadError.None) return false;
        // IFA_LOCAL is the interface's address; IFA_ADDRESS is the same, except on a point-to-point
        // link where it is the peer's, which is not ours.
        var own = local.IsEmpty ? peer : local;
        if (own.Length != length || (!broadcast.IsEmpty && broadcast.Length != length)) return false;
        address = new KernelAddress(header.ifa_index, new IPAddress(own), header.ifa_prefixlen,
            broadcast.IsEmpty ? null : new IPAddress(broadcast));
        return true;
    }
}
