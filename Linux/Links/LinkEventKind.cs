namespace Replicator.Linux.Links;

public enum LinkEventKind
{
    /// <summary>The complete set of links (<see cref="LinkEvent.Links"/>) replaces whatever the reader knew.</summary>
    Resync,
    /// <summary>A link appeared.</summary>
    Added,
    /// <summary>A known link changed (<see cref="LinkEvent.Previous"/> is its former state).</summary>
    Changed,
    /// <summary>A link was deleted (<see cref="LinkEvent.Link"/> is its last state).</summary>
    Removed,
}
