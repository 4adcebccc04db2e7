namespace Replicator.RegistrationDaemon.Registration;

/// <summary>The UDP control conversation with the service node, as the daemon loop sees it.</summary>
internal interface IControlChannel
{
    /// <summary>Sends a registration (split as needed). Returns the number of datagrams sent; failures are logged and counted by the channel.</summary>
    int Send(RegistrationBatch batch);

    /// <summary>
    /// True when the service node gave a return-routability cookie (PROTOCOL.md 5.1) other than the
    /// one the last registration echoed: registering again proves this VTEP's address. Thread-safe.
    /// </summary>
    bool CookieRenewed => false;

    /// <summary>
    /// Finds the incomplete split peer lists whose last part (or last repair) was at least <paramref name="quietFor"/>
    /// ago (a part was lost) and starts their quiet time over, keeping their parts for the repeated answer
    /// (<see cref="PeerListAssembler.RepairQuiet"/>); returns how many were quiet and how many incomplete lists
    /// remain. Called by the daemon loop's timer, so the repair never waits for another datagram. Thread-safe.
    /// </summary>
    (int Quiet, int Remaining) RepairQuiet(TimeSpan quietFor) => (0, 0);

    /// <summary>Peer lists from the service node (address and port checked before a part is kept; the daemon checks again), until cancelled.</summary>
    IAsyncEnumerable<PeerListUpdate> ReceiveAsync(CancellationToken cancellationToken);
}
