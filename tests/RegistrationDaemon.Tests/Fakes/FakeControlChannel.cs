using System.Runtime.CompilerServices;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Tests.Fakes;

/// <summary>Records every registration the daemon sends; receives nothing (tests call OnPeerList directly).</summary>
internal sealed class FakeControlChannel : IControlChannel
{
    public List<RegistrationBatch> Sent { get; } = [];

    public RegistrationBatch Last => Sent[^1];

    /// <summary>What the daemon sees as a new return-routability cookie; cleared by the next send, as the real channel does.</summary>
    public bool CookieRenewed { get; set; }

    /// <summary>Incomplete split lists the fake holds; <see cref="DropIncomplete"/> gives them all up.</summary>
    public int Incomplete { get; set; }

    /// <summary>How often the daemon gave incomplete lists up, and with what quiet time.</summary>
    public List<TimeSpan> DropCalls { get; } = [];

    public (int Dropped, int Remaining) DropIncomplete(TimeSpan quietFor)
    {
        DropCalls.Add(quietFor);
        int dropped = Incomplete;
        Incomplete = 0;
        return (dropped, 0);
    }

    public int Send(RegistrationBatch batch)
    {
        Sent.Add(batch);
        CookieRenewed = false;
        return 1;
    }

    public async IAsyncEnumerable<PeerListUpdate> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }
}
