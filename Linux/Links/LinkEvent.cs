namespace Replicator.Linux.Links;

/// <summary>
/// One change seen by <see cref="LinkWatcher"/>. <see cref="LinkEventKind.Resync"/> carries every link in
/// <see cref="Links"/>; the other kinds carry one <see cref="Link"/>.
/// </summary>
public sealed record LinkEvent
{
    public required LinkEventKind Kind { get; init; }

    /// <summary>The link after the change (Added, Changed) or its last state (Removed); null for Resync.</summary>
    public LinkInfo? Link { get; init; }

    /// <summary>For Changed and Removed: the state known before.</summary>
    public LinkInfo? Previous { get; init; }

    /// <summary>For Resync: every link now in the namespace; empty otherwise.</summary>
    public IReadOnlyList<LinkInfo> Links { get; init; } = [];

    /// <summary>For Resync: why.</summary>
    public LinkResyncReason? ResyncReason { get; init; }

    public static LinkEvent Resync(LinkResyncReason reason, IReadOnlyList<LinkInfo> links) =>
        new() { Kind = LinkEventKind.Resync, Links = links, ResyncReason = reason };

    public static LinkEvent Added(LinkInfo link) => new() { Kind = LinkEventKind.Added, Link = link };

    public static LinkEvent Changed(LinkInfo link, LinkInfo? previous) => new() { Kind = LinkEventKind.Changed, Link = link, Previous = previous };

    public static LinkEvent Removed(LinkInfo link, LinkInfo? previous) => new() { Kind = LinkEventKind.Removed, Link = link, Previous = previous };

    public override string ToString() => Kind == LinkEventKind.Resync
        ? $"Resync ({ResyncReason}, {Links.Count} links)"
        : $"{Kind} {Link?.Name} (index {Link?.Index})";
}
