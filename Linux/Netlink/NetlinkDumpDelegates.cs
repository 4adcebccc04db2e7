using System.Diagnostics.CodeAnalysis;

namespace Replicator.Linux.Netlink;

/// <summary>Writes a dump request (with a fresh sequence number) and returns it; called once per attempt.</summary>
public delegate ReadOnlySpan<byte> NetlinkRequestBuilder();

/// <summary>Turns one message of a dump into an item; false to skip the message.</summary>
public delegate bool NetlinkItemParser<T>(NetlinkMessage message, [MaybeNullWhen(false)] out T item);
