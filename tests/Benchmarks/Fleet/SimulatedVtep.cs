using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// One simulated VTEP: its address, UDP socket and VNIs, and what vxrd would hold: split lists are
/// put back together by vxrd's own <see cref="PeerListAssembler"/> and the members kept in vxrd's
/// <see cref="PeerBook"/>, so the simulator converges exactly when vxrd would. <see cref="Holds"/> says,
/// per VNI, whether the book equals the target; the receive callback and the phase controller
/// change state under the instance's lock.
/// </summary>
internal sealed class SimulatedVtep
{
    private readonly PeerListAssembler _assembler = new();
    private readonly PeerBook _book = new();
    private readonly bool[] _holds;

    public SimulatedVtep(int index, uint[] vnis, Socket socket)
    {
        Index = index;
        Address = FleetSettings.VtepAddress(index);
        NodeId = FleetSettings.NodeId(index);
        Vnis = vnis;
        Socket = socket;
        _holds = new bool[vnis.Length];
        Registration = [.. vnis.Select(v => new VniAddresses(v, [Address]))];
    }

    public int Index { get; }

    public IPAddress Address { get; }

    public string NodeId { get; }

    public uint[] Vnis { get; }

    public Socket Socket { get; }

    /// <summary>The VNI map of this VTEP's registrations.</summary>
    public IReadOnlyList<VniAddresses> Registration { get; }

    /// <summary>Joined (registered and not withdrawn); a VTEP that left ignores lists, as vxrd forgets a VNI it no longer serves.</summary>
    public bool Joined { get; set; }

    /// <summary>Bumped at every join and leave: a refresh scheduled before is stale.</summary>
    public int Epoch { get; set; }

    public long Datagrams;
    public long Bytes;
    public long CompleteLists;

    /// <summary>Feeds one received peer list (part) through vxrd's assembler and book, then re-checks the VNIs it named.</summary>
    public void Receive(IPEndPoint sender, PeerListMessage message, FleetMembership target, ConvergenceTracker tracker)
    {
        lock (this)
        {
            if (_assembler.Add(sender, message) is not { } update) return;
            CompleteLists++;
            if (!Joined) return;
            foreach (var (vni, members) in update.Members)
            {
                int k = Array.BinarySearch(Vnis, vni);
                if (k < 0) continue;
                _book.Set(vni, members);
                _book.TryGet(vni, out var held);
                Mark(k, target.Holds(vni, held), tracker);
            }
        }
    }

    /// <summary>Withdrawn: the VNIs are forgotten, so the next join must learn them again.</summary>
    public void Leave(ConvergenceTracker tracker)
    {
        lock (this)
        {
            Joined = false;
            Epoch++;
            for (int k = 0; k < Vnis.Length; k++)
            {
                _book.Forget(Vnis[k]);
                Mark(k, false, tracker);
            }
        }
    }

    /// <summary>Every VNI counts as incomplete until a complete list arrives after this call (the restart: what was held before proves nothing).</summary>
    public void Unmark(ConvergenceTracker tracker)
    {
        lock (this)
        {
            for (int k = 0; k < Vnis.Length; k++) Mark(k, false, tracker);
        }
    }

    private void Mark(int k, bool holds, ConvergenceTracker tracker)
    {
        if (_holds[k] == holds) return;
        _holds[k] = holds;
        if (holds) tracker.BecameComplete();
        else tracker.BecameIncomplete();
    }
}
