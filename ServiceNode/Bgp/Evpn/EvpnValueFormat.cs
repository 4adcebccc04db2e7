using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// A route distinguisher or route-target format, <c>ADMIN:NUMBER</c> (see <see cref="EvpnOptions"/>), turned into
/// the 8 wire bytes (packed big-endian) for one VNI and VTEP. Parsed once at start; building a value allocates nothing.
/// </summary>
internal sealed class EvpnValueFormat
{
    private const string Vtep = "{vtep}";
    private const string As = "{as}";
    private const string Vni = "{vni}";

    private enum Admin
    {
        Vtep,
        LocalAs,
        AsNumber,
        Ipv4,
    }

    private readonly Admin _admin;
    private readonly uint _adminValue; // the AS number or the IPv4 address (big-endian value)
    private readonly uint? _number;    // null: the VNI

    private EvpnValueFormat(Admin admin, uint adminValue, uint? number)
    {
        _admin = admin;
        _adminValue = adminValue;
        _number = number;
    }

    /// <summary>Parses a format; <paramref name="routeDistinguisher"/> admits <c>{vtep}</c> and requires <c>{vni}</c> (one RD per VNI).</summary>
    public static bool TryParse(string? text, bool routeDistinguisher, out EvpnValueFormat format, out string error)
    {
        format = null!;
        error = "";
        int colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            error = "expected ADMIN:NUMBER";
            return false;
        }
        string left = text[..colon].Trim(), right = text[(colon + 1)..].Trim();
        uint? number = null;
        if (!string.Equals(right, Vni, StringComparison.OrdinalIgnoreCase))
        {
            if (routeDistinguisher)
            {
                error = "the number must be {vni}: a fixed number would give every VNI of a VTEP the same route";
                return false;
            }
            if (!uint.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out uint n))
            {
                error = $"'{right}' is neither {Vni} nor a number";
                return false;
            }
            number = n;
        }

        Admin admin;
        uint value = 0;
        if (string.Equals(left, Vtep, StringComparison.OrdinalIgnoreCase) && routeDistinguisher) admin = Admin.Vtep;
        else if (string.Equals(left, As, StringComparison.OrdinalIgnoreCase)) admin = Admin.LocalAs;
        else if (uint.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out value)) admin = Admin.AsNumber;
        else if (left.Count(c => c == '.') == 3 && IPAddress.TryParse(left, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork)
        {
            admin = Admin.Ipv4;
            value = BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());
        }
        else
        {
            error = $"'{left}' is not {(routeDistinguisher ? Vtep + ", " : "")}{As}, an AS number or an IPv4 address";
            return false;
        }
        // A fixed number must fit the field its administrator leaves: 4 octets after a 2-octet AS, 2 otherwise.
        if (number is { } fixedNumber && fixedNumber > ushort.MaxValue && !(admin == Admin.AsNumber && value <= ushort.MaxValue))
        {
            error = $"{fixedNumber} does not fit the 2-octet number of this form";
            return false;
        }
        format = new EvpnValueFormat(admin, value, number);
        return true;
    }

    /// <summary>The 8 route-distinguisher bytes (RFC 4364 §4.2: type 0, 1 or 2) for a VTEP's VNI.</summary>
    public ulong RouteDistinguisher(uint localAs, uint vni, VtepAddress vtep)
    {
        uint number = _number ?? vni;
        switch (_admin)
        {
            case Admin.Vtep when vtep.IsIPv4:
                return Type1(1, VtepIPv4(vtep), number);
            case Admin.Ipv4:
                return Type1(1, _adminValue, number);
            default:
                uint asNumber = _admin == Admin.AsNumber ? _adminValue : localAs;
                return asNumber <= ushort.MaxValue ? Type0(0, asNumber, number) : Type2(2, asNumber, number);
        }
    }

    /// <summary>The 8 route-target extended-community bytes (RFC 4360: 2-octet AS, IPv4 or RFC 5668 4-octet AS specific, subtype 2) for a VNI.</summary>
    public ulong RouteTarget(uint localAs, uint vni)
    {
        uint number = _number ?? vni;
        if (_admin == Admin.Ipv4) return Type1(0x0102, _adminValue, number);
        uint asNumber = _admin == Admin.AsNumber ? _adminValue : localAs;
        return asNumber <= ushort.MaxValue ? Type0(0x0002, asNumber, number) : Type2(0x0202, asNumber, number);
    }

    // type(2) | 2-octet administrator | 4-octet number
    private static ulong Type0(ushort type, uint admin, uint number) => ((ulong)type << 48) | ((ulong)(ushort)admin << 32) | number;

    // type(2) | 4-octet IPv4 administrator | 2-octet number
    private static ulong Type1(ushort type, uint admin, uint number) => ((ulong)type << 48) | ((ulong)admin << 16) | (ushort)number;

    // type(2) | 4-octet AS administrator | 2-octet number
    private static ulong Type2(ushort type, uint admin, uint number) => Type1(type, admin, number);

    private static uint VtepIPv4(VtepAddress vtep)
    {
        Span<byte> bytes = stackalloc byte[16];
        vtep.WriteBytes(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
