using System.Net;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Builds and sends peer lists (answers and pushes): the one place control datagrams to VTEPs
/// leave, so the return-routability budget is applied here (<see cref="ReturnRoutability"/>).
/// Used only on the registry loop, which is why the generation counter needs no synchronisation.
/// </summary>
internal sealed class PeerListSender(ControlSocket socket, IReloadableOptions<RegistryOptions> options, ControlAuthentication? authentication = null,
    ReturnRoutability? returnRoutability = null, PeerListHistory? history = null, ControlMetrics? metrics = null)
{
    private static readonly string[] KindTags = ["full", "delta", "empty", "current", "parts"];

    private uint _generation;

    /// <summary>
    /// Names this run in every list (PeerList key 8, PROTOCOL.md 5.3): a VTEP tells a restart by it changing,
    /// because the message generation alone may go back (a kept full list is repeated under its first one).
    /// </summary>
    public uint Instance { get; } = (uint)Random.Shared.NextInt64(1, (long)uint.MaxValue + 1);
    private Action<IReadOnlyList<byte[]>>? _signIfEnabled;

    /// <summary>Generations and recent changes per VNI; null: no deltas (unit tests of the full-list path).</summary>
    public PeerListHistory? History => history;

    /// <summary>The message generation (PeerList key 2) of the latest encoding: a kept full list is addressed by it (Register key 7).</summary>
    public uint LastMessageGeneration => _generation;

    public static string Tag(PeerListKind kind) => KindTags[(int)kind];

    /// <summary>
    /// Called (registry loop) for each VNI an answer brought a delta or full list of: when that answer
    /// (or one of its parts) is lost, nothing later would tell the VTEP, so the pusher states the
    /// generation to it once the settle time has passed.
    /// </summary>
    public Action<IPEndPoint, uint>? AnsweredWithChanges { get; set; }

    private bool Budgeted => returnRoutability?.Enabled == true;

    /// <summary>
    /// Sends the peer lists of <paramref name="vnis"/> to <paramref name="destination"/> from
    /// <paramref name="from"/> (answer from the address the question came to); returns the datagrams sent.
    /// </summary>
    public int Send(Registry.Registry registry, IEnumerable<uint> vnis, IPEndPoint destination, ControlSource from = ControlSource.Anycast) =>
        SendCounted(Encode(registry, vnis), destination, from, PeerListKind.Full);

    /// <summary>
    /// As <see cref="Send(Registry.Registry, IEnumerable{uint}, IPEndPoint, ControlSource)"/>, sharing the
    /// encoding with the other answers of <paramref name="shared"/> (one registry batch) that name the same VNIs.
    /// </summary>
    public int Send(Registry.Registry registry, IReadOnlyList<uint> vnis, IPEndPoint destination, ControlSource from, AnswerEncodings? shared) =>
        SendCounted(EncodePlain(registry, vnis, shared), destination, from, PeerListKind.Full);

    private IReadOnlyList<byte[]> EncodePlain(Registry.Registry registry, IReadOnlyList<uint> vnis, AnswerEncodings? shared) =>
        shared is null
            ? Encode(registry, vnis)
            : shared.GetOrEncode(AnswerEncodings.Shape.Plain, [.. vnis], (Sender: this, Registry: registry, Vnis: vnis), static s => s.Sender.Encode(s.Registry, s.Vnis));

    /// <summary>Encodes once for sending to several destinations (a push goes to every subscriber).</summary>
    public IReadOnlyList<byte[]> Encode(Registry.Registry registry, IEnumerable<uint> vnis)
    {
        uint hold = HoldTimeSeconds;
        bool sign = authentication?.Enabled == true;
        // Without authentication every list carries the receiver's cookie: room for it now, the bytes per receiver at sending.
        var datagrams = ControlMessages.EncodePeerLists(registry, vnis, hold, unchecked(++_generation), sign, Budgeted ? UInt128.Zero : null, Instance);
        SignIfEnabled(datagrams);
        return datagrams;
    }

    /// <summary>
    /// Encodes a peer list with this sender's hold time, message generation, cookie room and signature
    /// (the fields of <paramref name="message"/> other than its lists are replaced).
    /// </summary>
    public IReadOnlyList<byte[]> EncodeMessage(PeerListMessage message)
    {
        bool sign = authentication?.Enabled == true;
        var m = message with { HoldTimeSeconds = HoldTimeSeconds, Generation = unchecked(++_generation), PartIndex = 0, PartCount = 1, Cookie = Budgeted ? UInt128.Zero : null, Instance = Instance };
        var datagrams = ControlCodec.EncodePeerList(m, reserveAuthenticationTrailer: sign);
        SignIfEnabled(datagrams);
        return datagrams;
    }

    /// <summary>Full lists that name their generations, for VTEPs that speak deltas.</summary>
    public IReadOnlyList<byte[]> EncodeFull(IReadOnlyList<VniAddresses> lists, IReadOnlyList<VniGeneration> generations) =>
        EncodeMessage(new PeerListMessage(0, lists) { Generations = generations });

    /// <summary>Deltas, with the empty VNI map that makes them harmless to a receiver that does not know them.</summary>
    public IReadOnlyList<byte[]> EncodeDeltas(IReadOnlyList<PeerListDelta> deltas) =>
        EncodeMessage(new PeerListMessage(0, []) { Deltas = deltas });

    /// <summary>
    /// Answers a VTEP that speaks deltas (its Register carried <paramref name="held"/>): per VNI nothing
    /// when its generation is current, the deltas from it when the history reaches back to it, else the
    /// full list with its generation; one empty list when nothing is to be sent, so the VTEP still hears
    /// us. VNIs without a generation yet (their first change is being published) get the plain list.
    /// Returns the datagrams sent. With <paramref name="shared"/> an answer saying what another one said
    /// reuses its datagrams (cookies stay per receiver): within the registry batch, and for full lists for
    /// as long as their generations are current (<see cref="AnswerEncodings"/>).
    /// </summary>
    /// <param name="incomplete">The split list the VTEP holds some parts of (Register key 7): when <paramref name="shared"/> still keeps
    /// that message and the ordinary answer would be larger, its missing parts and the deltas since its generations answer the VNIs it names
    /// (<see cref="MissingPartsAnswer"/>); otherwise it is answered as if absent. Counted either way.</param>
    public int SendAnswer(Registry.Registry registry, IReadOnlyList<uint> vnis, IReadOnlyList<VniGeneration> held, IPEndPoint destination, ControlSource from,
        AnswerEncodings? shared = null, IncompleteList? incomplete = null)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (history is null) return Send(registry, vnis, destination, from, shared);
        var heldBy = new Dictionary<uint, uint>(held.Count);
        foreach (var h in held) heldBy[h.Vni] = h.Generation;
        List<uint>? unversioned = null;
        var full = new List<VniAddresses>();
        var generations = new List<VniGeneration>();
        var deltas = new List<PeerListDelta>();
        List<uint>? deltasFrom = null; // VNI and held generation of each VNI answered with deltas: what they say
        MissingPartsAnswer.Plan? parts = null;
        if (incomplete is not null)
        {
            var outcome = IncompleteListOutcome.Unknown;
            // A list of another run (PROTOCOL.md 5.3) names a message generation of that run, not one of ours.
            bool ours = incomplete.Instance is null || incomplete.Instance == Instance;
            if (ours && shared is not null && shared.TryGetMessage(incomplete.Generation, AnswerForm, _signIfEnabled ??= SignIfEnabled, out var kept))
            {
                outcome = MissingPartsAnswer.TryPlan(incomplete, kept, vnis, heldBy, history, deltas, deltasFrom ??= [], out var plan);
                if (outcome == IncompleteListOutcome.Served) parts = plan;
            }
            metrics?.IncompleteListAnswered(outcome);
        }
        foreach (uint vni in vnis)
        {
            if (parts is { } p && p.Vnis.Contains(vni)) continue; // answered by the missing parts and their deltas
            if (!history.TryGetCurrent(vni, out uint generation, out var members))
            {
                (unversioned ??= []).Add(vni);
                continue;
            }
            uint holds = heldBy.GetValueOrDefault(vni);
            if (holds == generation) continue;
            if (history.TryAppendDeltas(vni, holds, deltas))
            {
                if (shared is not null) (deltasFrom ??= []).AddRange([vni, holds]);
                continue;
            }
            full.Add(new VniAddresses(vni, members));
            generations.Add(new VniGeneration(vni, generation));
        }
        int sent = 0;
        if (unversioned is not null) sent += SendCounted(EncodePlain(registry, unversioned, shared), destination, from, PeerListKind.Full);
        if (full.Count > 0)
        {
            // Kept across batches while these generations are current: a VTEP asking again (a part was lost) gets the same parts.
            var datagrams = shared is null ? EncodeFull(full, generations)
                : shared.GetOrEncodeList(Pairs(generations), AnswerForm, (Sender: this, Full: full, Generations: generations),
                    static s => s.Sender.EncodeFull(s.Full, s.Generations), _signIfEnabled ??= SignIfEnabled, static s => s.Sender.LastMessageGeneration);
            sent += SendCounted(datagrams, destination, from, PeerListKind.Full);
        }
        IReadOnlyList<byte[]>? deltaDatagrams = null;
        if (deltas.Count > 0)
        {
            deltaDatagrams = shared is null ? EncodeDeltas(deltas)
                : shared.GetOrEncode(AnswerEncodings.Shape.Delta, [.. deltasFrom!], (Sender: this, Deltas: deltas), static s => s.Sender.EncodeDeltas(s.Deltas));
        }
        if (parts is { } missing) sent += SendParts(missing.Parts, deltaDatagrams, destination, from);
        else if (deltaDatagrams is not null) sent += SendCounted(deltaDatagrams, destination, from, PeerListKind.Delta);
        if (AnsweredWithChanges is { } answered)
        {
            // A lost missing part leaves the VTEP behind like a lost answer: stated after the settle time too.
            if (parts is { } named) foreach (uint vni in named.Vnis) answered(destination, vni);
            foreach (var list in full) answered(destination, list.Vni);
            uint previous = 0;
            foreach (var d in deltas)
            {
                if (d.Vni != previous) answered(destination, d.Vni);
                previous = d.Vni;
            }
        }
        if (unversioned is null && full.Count == 0 && deltas.Count == 0 && parts is null)
        {
            var datagrams = shared is null ? EncodeEmpty()
                : shared.GetOrEncode(AnswerEncodings.Shape.Empty, [], this, static sender => sender.EncodeEmpty());
            sent += SendCounted(datagrams, destination, from, PeerListKind.Empty);
        }
        return sent;
    }

    // What a kept full list must have been encoded with to be sent again now.
    private AnswerEncodings.Form AnswerForm => new(HoldTimeSeconds, authentication?.Enabled == true, Budgeted);

    // The missing parts, then the deltas since the list's generations, in one batch of sends (sendmmsg), so the
    // VTEP completes the list before it applies them; one budget for both, as for any answer.
    private int SendParts(List<byte[]> parts, IReadOnlyList<byte[]>? deltas, IPEndPoint destination, ControlSource from)
    {
        IReadOnlyList<byte[]> datagrams = deltas is null ? parts : [.. parts, .. deltas];
        int sent = SendEncoded(datagrams, destination, from);
        if (sent > 0 && metrics is not null)
        {
            long partBytes = 0, deltaBytes = 0;
            int partCount = Math.Min(sent, parts.Count);
            for (int i = 0; i < sent && i < datagrams.Count; i++)
            {
                if (i < parts.Count) partBytes += datagrams[i].Length;
                else deltaBytes += datagrams[i].Length;
            }
            metrics.PeerListsSent(PeerListKind.Parts, partCount, partBytes);
            if (sent > partCount) metrics.PeerListsSent(PeerListKind.Delta, sent - partCount, deltaBytes);
        }
        return sent;
    }

    // Signs (again) when authentication is on: after encoding, after a receiver's cookie went in, and for a
    // kept encoding sent in a later batch (a fresh timestamp and nonce, the message itself unchanged).
    private void SignIfEnabled(IReadOnlyList<byte[]> datagrams)
    {
        if (authentication?.Enabled == true) authentication.Sign(datagrams);
    }

    private IReadOnlyList<byte[]> EncodeEmpty() => EncodeMessage(new PeerListMessage(0, []));

    private static uint[] Pairs(List<VniGeneration> generations)
    {
        var pairs = new uint[generations.Count * 2];
        for (int i = 0; i < generations.Count; i++) (pairs[2 * i], pairs[2 * i + 1]) = (generations[i].Vni, generations[i].Generation);
        return pairs;
    }

    /// <summary>
    /// Has <paramref name="destination"/> proven it receives (section 5.1)? Always, when no budget
    /// applies (authentication, or return routability off). Unsolicited extras go only to those.
    /// </summary>
    public bool HasProven(IPEndPoint destination) => !Budgeted || returnRoutability!.IsProven(destination.Address);

    /// <summary>As <see cref="SendEncoded"/>, counting what was sent by kind.</summary>
    public int SendCounted(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from, PeerListKind kind)
    {
        int sent = SendEncoded(datagrams, destination, from);
        if (sent > 0 && metrics is not null)
        {
            long bytes = 0;
            for (int i = 0; i < sent && i < datagrams.Count; i++) bytes += datagrams[i].Length;
            metrics.PeerListsSent(kind, sent, bytes);
        }
        return sent;
    }

    /// <summary>
    /// A registration arrived (control receive loop): credits its source's budget and notes a valid
    /// cookie. Thread-safe, unlike the rest of this class.
    /// </summary>
    public void OnRegistrationReceived(RegisterMessage register, IPEndPoint source, int datagramBytes, bool authenticated = false) =>
        returnRoutability?.OnRegistration(register, source.Address, datagramBytes, authenticated);

    /// <summary>
    /// Sends datagrams from <see cref="Encode"/>; VTEPs expect them from the anycast address (the default).
    /// To an address that has not proven it receives, the whole list goes only when its budget covers
    /// it; otherwise one cookie-only list does (when that fits), so a real VTEP proves itself at once.
    /// </summary>
    public int SendEncoded(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from = ControlSource.Anycast)
    {
        if (!Budgeted) return SendAll(datagrams, destination, from);
        ReturnRoutability rr = returnRoutability!;
        UInt128 cookie = rr.CookieFor(destination.Address);
        long total = 0;
        foreach (var datagram in datagrams) total += datagram.Length;
        if (rr.TrySpend(destination.Address, total) != ReturnVerdict.Withheld)
        {
            // In place: a push's datagrams go to one subscriber after the other, each with its own cookie.
            foreach (var datagram in datagrams) ControlCodec.TryWriteCookie(datagram, cookie);
            // Transitional state: the cookie is inside the signed bytes, so each receiver's copy is signed again.
            SignIfEnabled(datagrams);
            return SendAll(datagrams, destination, from);
        }
        rr.Metrics.WithheldAdd(datagrams.Count, total);
        bool sign = authentication?.Enabled == true;
        byte[] cookieOnly = ControlCodec.Encode(new PeerListMessage(HoldTimeSeconds, [], unchecked(++_generation)) { Cookie = cookie, Instance = Instance }, sign);
        SignIfEnabled([cookieOnly]);
        if (rr.TrySpend(destination.Address, cookieOnly.Length) == ReturnVerdict.Withheld) return 0;
        rr.Metrics.CookieListSent();
        return socket.Send(cookieOnly, destination, from) ? 1 : 0;
    }

    private uint HoldTimeSeconds => (uint)Math.Ceiling(options.Current.HoldTime.TotalSeconds);

    // The parts of a list in as few system calls as they fit (sendmmsg).
    private int SendAll(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from) =>
        socket.SendAll(datagrams, destination, from);
}
