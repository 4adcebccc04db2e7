using System.Runtime.CompilerServices;
using Replicator.Linux.Links;

namespace Replicator.RegistrationDaemon.Devices;

/// <summary>The kernel's links over rtnetlink (<see cref="LinkWatcher"/>).</summary>
internal sealed class KernelLinkSource : ILinkSource
{
    public async IAsyncEnumerable<LinkEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Start failures (no netlink) throw here, which stops the daemon with a clear log line.
        using var watcher = LinkWatcher.Start();
        await foreach (var e in watcher.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }
}
