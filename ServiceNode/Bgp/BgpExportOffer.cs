namespace Replicator.ServiceNode.Bgp;

/// <summary>What <see cref="BgpExportQueue.Offer"/> did with a change.</summary>
internal enum BgpExportOffer
{
    /// <summary>Queued for the session's loop.</summary>
    Queued,
    /// <summary>The queue was full: it dropped everything and the session resynchronises the peer with the whole set.</summary>
    Overflowed,
    /// <summary>A resynchronisation is already due; the set it sends will hold this change.</summary>
    Dropped,
}
