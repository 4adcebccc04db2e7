using System.Globalization;
using Replicator.Hosting.Management.Cli;

namespace Replicator.ServiceNode.Bgp;

/// <summary><c>vxsnd bgp</c> as text: one row per peer.</summary>
internal static class BgpStatusText
{
    public static void Write(TextWriter output, BgpStatusResponse status)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        if (!status.Enabled)
        {
            output.WriteLine("BGP speaker off (ServiceNode:Bgp:Enabled=false)");
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AS {status.LocalAs}, router id {status.RouterId ?? "-"}, {status.ExportedRoutes} route(s) exported"));
        TableWriter.Write(output, ["PEER", "STATE", "UPTIME", "ROUTES IN", "ROUTES OUT", "UPDATES IN", "UPDATES OUT", "TYPE-2 SEEN", "LAST ERROR"],
            status.Sessions.Select(s => (IReadOnlyList<string>)
            [
                s.Peer,
                s.State,
                s.UptimeSeconds is { } up ? TimeSpan.FromSeconds(Math.Floor(up)).ToString("c", CultureInfo.InvariantCulture) : "-",
                N(s.RoutesReceived),
                N(s.RoutesAdvertised),
                N(s.UpdatesReceived),
                N(s.UpdatesSent),
                N(s.MacIpRoutesSeen),
                s.LastError ?? "-",
            ]));
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
