using System.CommandLine;
using Replicator.Hosting.Management.Cli;
using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Management.Cli;

/// <summary><c>vxsnd bgp [--json]</c>: the BGP sessions of a running vxsnd (<c>GET /bgp</c>).</summary>
internal static class BgpCommand
{
    public static Command Create(DaemonCommandLine cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var socket = cli.SocketOption();
        var json = CliCommandLine.JsonOption();
        var bgp = new Command("bgp", "Show the BGP sessions: peer, state, uptime, routes in/out, updates in/out, type-2 routes seen, last error") { socket, json };
        bgp.SetAction(async (parse, ct) =>
        {
            using var client = cli.Client(parse, socket);
            var status = await client.GetAsync<BgpStatusResponse>("/bgp", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) JsonOutput.Write(output, status);
            else BgpStatusText.Write(output, status);
            return 0;
        });
        return bgp;
    }
}
