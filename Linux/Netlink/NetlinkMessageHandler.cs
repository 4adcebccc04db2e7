
namespace Replicator.Linux.Netlink;

/// <summary>Receives each message of a dump; the message is a view into the socket's buffer, valid only during the call.</summary>
public delegate void NetlinkMessageHandler(NetlinkMessage message);
