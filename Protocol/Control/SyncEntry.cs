using System.Net;

namespace Replicator.Protocol.Control;

/// <summary>One registry entry in a full-table transfer between service nodes.</summary>
/// <param name="Vni">0..16777215.</param>
/// <param name="Address">The VTEP's address (IPv4 or IPv6).</param>
/// <param name="RemainingHoldTimeSeconds">Seconds until the entry expires on the sender (ignored for <see cref="WireEntrySource.Static"/>).</param>
/// <param name="NodeId">The registering VTEP's identifier, 1..255 UTF-8 bytes.</param>
/// <param name="Source">How the sender learned the entry.</param>
public sealed record SyncEntry(uint Vni, IPAddress Address, uint RemainingHoldTimeSeconds, string NodeId, WireEntrySource Source);
