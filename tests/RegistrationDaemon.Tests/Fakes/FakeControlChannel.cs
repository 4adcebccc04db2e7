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

    /// <summary>
    /// Incomplete split lists the fake holds; <see cref="RepairQuiet"/> reports them all quiet and forgets
    /// them, or with <see cref="KeepsLists"/> keeps them, as the real assembler does until their lifetime ends.
    /// </summary>
    public int Incomplete { get; set; }

    public bool KeepsLists { get; set; }

    /// <summary>How often the daemon looked for quiet incomplete lists, and with what quiet time.</summary>
    public List<TimeSpan> RepairCalls { get; } = [];

    public (int Quiet, int Remaining) RepairQuiet(TimeSpan quietFor)
    {
        RepairCalls.Add(quietFor);
        int quiet = Incomplete;
        if (!KeepsLists) Incomplete = 0;
        return (quiet, Incomplete);
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
