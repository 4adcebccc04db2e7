namespace Replicator.Protocol.Control;

/// <summary>Map keys of the message bodies (PROTOCOL.md, "Bodies"). Keys are part of the wire format: never renumber.</summary>
internal static class ControlKeys
{
    public const uint RegisterNodeId = 0;
    public const uint RegisterHoldTime = 1;
    public const uint RegisterRelayed = 2;
    public const uint RegisterResponseWanted = 3;
    public const uint RegisterVnis = 4;
    public const uint RegisterCookie = 5;
    public const uint RegisterGenerations = 6;
    public const uint RegisterIncompleteList = 7;

    public const uint PeerListHoldTime = 0;
    public const uint PeerListVnis = 1;
    public const uint PeerListGeneration = 2;
    public const uint PeerListPartIndex = 3;
    public const uint PeerListPartCount = 4;
    public const uint PeerListCookie = 5;
    public const uint PeerListGenerations = 6;
    public const uint PeerListDeltas = 7;
    public const uint PeerListInstance = 8;

    public const uint SyncEntries = 0;
    public const uint SyncLast = 1;

    /// <summary>Fields of one sync entry array, in order.</summary>
    public const int SyncEntryFields = 5;

    /// <summary>Fields of one peer-list delta array (VNI, base generation, generation, added, removed), in order.</summary>
    public const int DeltaFields = 5;

    /// <summary>Required fields of a Register's incomplete list array (message generation, part count, held-parts bitmap), in order; the instance may follow.</summary>
    public const int IncompleteListFields = 3;
}
