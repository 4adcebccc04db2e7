using Replicator.Linux.Links;

namespace Replicator.RegistrationDaemon.Devices;

/// <summary>
/// The kernel's links as a stream: first a full snapshot (<see cref="LinkEventKind.Resync"/>), then
/// changes; another full snapshot whenever notifications were lost (ENOBUFS, interrupted dump), so
/// nothing drifts.
/// </summary>
internal interface ILinkSource
{
    IAsyncEnumerable<LinkEvent> WatchAsync(CancellationToken cancellationToken);
}
