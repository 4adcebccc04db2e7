namespace Replicator.Protocol.Control;

/// <summary>
/// One frame of a service node's full-table transfer (type 3, TCP only, see <see cref="SyncFraming"/>).
/// A transfer is a sequence of these; the one with <paramref name="Last"/> set ends it.
/// </summary>
public sealed record SyncMessage(IReadOnlyList<SyncEntry> Entries, bool Last) : ControlMessage
{
    public override ControlMessageType Type => ControlMessageType.Sync;

    public bool Equals(SyncMessage? other) =>
        other is not null && base.Equals(other) && Last == other.Last && ListEquality.Equal(Entries, other.Entries);

    public override int GetHashCode() => HashCode.Combine(Last, ListEquality.Hash(Entries));
}
