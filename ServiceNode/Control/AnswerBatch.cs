using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Holds the answers to the registrations of one registry batch and sends them when the batch ends,
/// before its changes are published: every VTEP answered in the batch gets the lists of the same
/// generation, so a list said to several of them is encoded and signed once
/// (<see cref="AnswerEncodings"/>; in a join wave of thousands that was most of vxsnd's CPU); a full list
/// is kept beyond the batch while its generations are current, so a VTEP that lost a part and asks again
/// gets the same parts, and a while after, so one that names it (Register key 7) gets just the parts it lacks. Sending
/// before the publication keeps the order a VTEP relies on: its answer, then the push of the batch's
/// changes that builds on it. Each receiver still gets exactly its own answer (its VNIs, its deltas,
/// its cookie and return-routability budget). Registry loop only.
/// </summary>
internal sealed class AnswerBatch(PeerListSender sender, TimeProvider? time = null) : IBatchListener
{
    /// <summary>
    /// Answers held at most; a batch has at most the registry loop's batch of registrations, so this is
    /// reached only if something answers outside a batch, and then the answers leave at once.
    /// </summary>
    public const int MaxHeld = 1024;

    private readonly List<Answer> _answers = [];
    private readonly AnswerEncodings _encodings = new(time);

    /// <summary>Answers waiting for the end of the batch.</summary>
    public int Count => _answers.Count;

    /// <summary>
    /// Queues the answer to a registration from <paramref name="destination"/>: the lists of
    /// <paramref name="vnis"/>, as deltas from <paramref name="held"/> when the VTEP speaks them (not null).
    /// </summary>
    /// <param name="incomplete">The split list the VTEP holds some parts of (Register key 7), answered with its missing parts when still kept.</param>
    public void Add(Registry.Registry registry, IReadOnlyList<uint> vnis, IReadOnlyList<VniGeneration>? held, IPEndPoint destination, ControlSource from,
        IncompleteList? incomplete = null)
    {
        _answers.Add(new Answer(vnis, held, destination, from, incomplete));
        if (_answers.Count >= MaxHeld) Flush(registry);
    }

    public void OnBatchEnding(Registry.Registry registry) => Flush(registry);

    private void Flush(Registry.Registry registry)
    {
        if (_answers.Count == 0) return;
        try
        {
            // Full lists kept from earlier batches whose generations have moved on say something else now.
            if (sender.History is { } history) _encodings.DropStale(history);
            foreach (var answer in _answers)
            {
                if (answer.Held is not null) sender.SendAnswer(registry, answer.Vnis, answer.Held, answer.To, answer.From, _encodings, answer.Incomplete);
                else sender.Send(registry, answer.Vnis, answer.To, answer.From, _encodings);
            }
        }
        finally
        {
            // Whatever happened, the next batch starts without this batch's plain lists and deltas; full
            // lists stay while their generations are current (checked when the next answers leave).
            _answers.Clear();
            _encodings.EndBatch();
        }
    }

    private readonly record struct Answer(IReadOnlyList<uint> Vnis, IReadOnlyList<VniGeneration>? Held, IPEndPoint To, ControlSource From, IncompleteList? Incomplete);
}
