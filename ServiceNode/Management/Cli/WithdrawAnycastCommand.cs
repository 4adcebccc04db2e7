using System.CommandLine;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.Linux.Addresses;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Cluster;

namespace Replicator.ServiceNode.Management.Cli;

/// <summary>
/// <c>vxsnd withdraw-anycast</c>: removes the configured anycast address from the loopback without
/// a running daemon. vxsnd removes it itself when it stops, but not after SIGKILL or a crash; run
/// from the unit's <c>ExecStopPost</c>, this closes the window until the next start in which the
/// routing daemon would still announce a node that cannot serve. Does nothing unless
/// <c>InstallAnycast</c> is on (the address is then vxsnd's to remove, nobody else's), and refuses
/// while vxsnd runs (its management socket answers): a running daemon manages the address itself.
/// </summary>
internal static class WithdrawAnycastCommand
{
    public static Command Create(DaemonCommandLine cli)
    {
        var command = new Command("withdraw-anycast",
            "Remove ServiceNode:Cluster:AnycastAddress from the loopback (for ExecStopPost: after a crash); only when InstallAnycast is true");
        command.SetAction(async (parse, ct) =>
        {
            var configuration = DaemonConfigurationExtensions.BuildDaemonConfiguration(parse.GetValue(cli.Config), []);
            string section = ClusterOptions.SectionName;
            string? install = configuration[$"{section}:{nameof(ClusterOptions.InstallAnycast)}"];
            string? anycast = configuration[$"{section}:{nameof(ClusterOptions.AnycastAddress)}"];
            var output = parse.InvocationConfiguration.Output;
            if (!bool.TryParse(install, out bool installs) || !installs)
            {
                output.WriteLine($"nothing to do: {section}:InstallAnycast is not true (the anycast address is not vxsnd's to remove)");
                return 0;
            }
            // Parsed as AnycastService installs it (an IPv4-mapped form as plain IPv4).
            if (ClusterOptions.ParseAnycast(anycast) is not { } address || !PeerAddress.IsUnicast(address))
                throw new CliUsageException($"{section}:AnycastAddress = '{anycast}': not a unicast IPv4 or IPv6 address");
            string socket = cli.ConfiguredSocket(configuration);
            if (await AnswersAsync(socket, ct))
                throw new CliUsageException($"vxsnd is running (its management socket {socket} answers) and manages {address} itself: stop it first");
            int prefix = AddressClient.HostPrefixLength(address);
            Errno errno;
            bool removed;
            try
            {
                using var client = AddressClient.Open();
                var result = client.DeleteHost(AddressClient.LoopbackIfIndex, address);
                errno = result.Errno;
                removed = errno == Errno.SUCCESS && !result.Unchanged;
            }
            catch (NativeException ex)
            {
                throw new CliUsageException($"cannot open rtnetlink: {ex.Message}");
            }
            if (errno != Errno.SUCCESS) throw new CliUsageException($"cannot remove {address}/{prefix} from lo: {errno}");
            output.WriteLine(removed ? $"removed {address}/{prefix} from lo" : $"{address}/{prefix} was not on lo");
            return 0;
        });
        return command;
    }

    private static async Task<bool> AnswersAsync(string socket, CancellationToken ct)
    {
        if (!File.Exists(socket)) return false;
        try
        {
            using var client = new ManagementClient(socket, ServiceNodeCommandLine.ToolName, TimeSpan.FromSeconds(2));
            await client.GetAsync<StatusResponse>("/status", ct);
            return true;
        }
        catch (ManagementClientException)
        {
            return false; // a socket file left by a dead daemon: nobody listens
        }
    }
}
