using System.Runtime.CompilerServices;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Tests.Fakes;

/// <summary>Records every registration the daemon sends; receives nothing (tests call OnPeerList directly).</summary>
public sealed class FakeControlChannel : IControlChannel
{
    public List<RegistrationBatch> Sent { get; } = [];

    public RegistrationBatch Last => Sent[^1];

    public int Send(RegistrationBatch batch)
    {
        Sent.Add(batch);
        return 1;
    }

    public async IAsyncEnumerable<PeerListUpdate> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }
}
