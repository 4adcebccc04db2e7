using System.Runtime.CompilerServices;
using Replicator.RegistrationDaemon.Kernel;

namespace Replicator.RegistrationDaemon.Devices;

/// <summary>The kernel's links over rtnetlink (<see cref="LinkWatcher"/>), mapped to what the daemon needs.</summary>
public sealed class KernelLinkSource : ILinkSource
{
    public async IAsyncEnumerable<LinkEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Start failures (no netlink) throw here, which stops the daemon with a clear log line.
        using var watcher = LinkWatcher.Start();
        await foreach (var e in watcher.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (e.Kind)
            {
                case LinkEventKind.Resync:
                    yield return new LinkEvent.Snapshot([.. e.Links.Select(Map)]);
                    break;
                case LinkEventKind.Added or LinkEventKind.Changed when e.Link is not null:
                    yield return new LinkEvent.Changed(Map(e.Link));
                    break;
                case LinkEventKind.Removed when e.Link is not null:
                    yield return new LinkEvent.Removed(e.Link.Index);
                    break;
            }
        }
    }

    public static LinkInfo Map(Kernel.LinkInfo link)
    {
        var vxlan = link.Vxlan;
        if (vxlan is null) return new LinkInfo(link.Index, link.Name, IsVxlan: link.Kind == "vxlan", IsUp: link.IsUp);
        return new LinkInfo(link.Index, link.Name, IsVxlan: true, IsUp: link.IsUp,
            Vni: vxlan.CollectMetadata ? null : vxlan.Vni, Local: vxlan.Local, Remote: vxlan.Remote, Port: vxlan.DestinationPort);
    }
}
