using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Replicator.ServiceNode.Cluster;

/// <summary>One configured peer: its unicast address and, when given, its control port.</summary>
/// <param name="Text">The configured text, for logs and status.</param>
internal sealed record PeerAddress(string Text, IPAddress Address, int? ControlPort)
{
    /// <summary>
    /// Parses <c>"a.b.c.d"</c>, <c>"a.b.c.d:port"</c>, <c>"v6"</c> or <c>"[v6]:port"</c> (no host names: a
    /// cluster must not depend on DNS to find itself). Rejects unspecified, multicast and broadcast addresses.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PeerAddress? peer, out string error)
    {
        peer = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty";
            return false;
        }
        string s = text.Trim();
        string host = s;
        int? port = null;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']');
            if (close < 0)
            {
                error = "missing ']'";
                return false;
            }
            host = s[1..close];
            string rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':') || !TryPort(rest[1..], out int p))
                {
                    error = "expected ':port' (1-65535) after ']'";
                    return false;
                }
                port = p;
            }
        }
        else if (s.Count(c => c == ':') == 1)
        {
            int colon = s.IndexOf(':');
            host = s[..colon];
            if (!TryPort(s[(colon + 1)..], out int p))
            {
                error = "port must be 1-65535";
                return false;
            }
            port = p;
        }
        if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
        {
            error = "not an IPv4 or IPv6 address (host names are not accepted)";
            return false;
        }
        address = Hosting.Addressing.AddressPolicy.Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            error = "scoped (link-local) addresses are not accepted";
            return false;
        }
        if (!IsUnicast(address))
        {
            error = "not a unicast address";
            return false;
        }
        peer = new PeerAddress(s, address, port);
        return true;
    }

    /// <summary>Where relayed registrations and keepalives go.</summary>
    public IPEndPoint ControlEndPoint(int defaultPort) => new(Address, ControlPort ?? defaultPort);

    internal static bool IsUnicast(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6) return !address.IsIPv6Multicast;
        return (address.GetAddressBytes()[0] & 0xF0) != 0xE0;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    public override string ToString() => Text;
}
