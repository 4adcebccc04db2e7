using System.Globalization;
using System.Net;

namespace Replicator.Hosting.Metrics;

/// <summary>Parses "address:port" listener settings; IPv6 addresses go in brackets; an "http://" prefix is accepted.</summary>
public static class MetricsEndpointParser
{
    /// <summary>
    /// Parses <paramref name="value"/> ("127.0.0.1:9501", "[::1]:9501", "localhost:9501", "http://127.0.0.1:9501").
    /// On failure <paramref name="error"/> says what is wrong, naming the value.
    /// </summary>
    public static bool TryParse(string value, out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        string text = value.Trim();
        // Operators often write the scrape URL they know; accept it and listen where it points.
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["http://".Length..];
            int slash = text.IndexOf('/');
            if (slash >= 0 && text[slash..] is "/" or "/metrics") text = text[..slash];
        }
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{value}' is not address:port (for example 127.0.0.1:9501 or [::1]:9501)";
            return false;
        }

        string host = text[..colon];
        string portText = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            error = $"'{value}': an IPv6 address needs brackets, for example [::1]:9501";
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            error = $"'{value}': port '{portText}' is not a number from 0 to 65535";
            return false;
        }

        IPAddress? address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address))
        {
            error = $"'{value}': '{host}' is not an IP address (host names other than localhost are not resolved)";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
