using System.Globalization;
using Replicator.Hosting.Management.Cli;

namespace Replicator.ServiceNode.Cluster;

/// <summary>The cluster part of <c>vxsnd status</c> as text: a few fields, then one row per peer.</summary>
internal static class ClusterStatusText
{
    /// <summary>Writes nothing for a single node without an anycast address (nothing to say).</summary>
    public static void Write(TextWriter output, ClusterStatusResponse status)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Peers.Count == 0 && status.AnycastAddress is null) return;
        string anycast = status.AnycastAddress is null ? "-"
            : status.AnycastWithdrawnBecause is { } why ? $"{status.AnycastAddress} withdrawn: {why}"
            : status.AnycastInstalled ? $"{status.AnycastAddress} on lo" : $"{status.AnycastAddress} (not installed by vxsnd)";
        output.WriteLine();
        TableWriter.Write(output, ["CLUSTER", "VALUE"],
        [
            ["synced", status.Synced ? "yes" : "no (start-up sync running)"],
            ["anycast", anycast],
            ["relayed", $"{N(status.RegistrationsRelayed)} sent, {N(status.RelayedReceived)} received"],
        ]);
        if (status.Peers.Count == 0) return;
        output.WriteLine();
        TableWriter.Write(output, ["PEER", "REACHABLE", "LAST HEARD", "LAST SYNC"],
            status.Peers.Select(p => (IReadOnlyList<string>)
            [
                p.ControlEndPoint,
                p.Reachable ? "yes" : "no",
                p.LastHeardSecondsAgo is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0}s ago") : "never",
                p.LastSyncAt is not { } at ? "-"
                    : p.LastSyncError is { } error ? $"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} failed: {error}"
                    : $"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {N(p.LastSyncEntries ?? 0)} entries",
            ]));
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
