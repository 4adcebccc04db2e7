using Replicator.Linux.Netlink;

namespace Replicator.Linux.Routes;

/// <summary>rtmsg.rtm_type (RTN_*): what the kernel does with a packet the route matches.</summary>
public enum RouteType : byte
{
    Unspecified = Nl.RTN_UNSPEC,
    /// <summary>Forwarded, directly or through a gateway.</summary>
    Unicast = Nl.RTN_UNICAST,
    /// <summary>One of this host's own addresses.</summary>
    Local = Nl.RTN_LOCAL,
    Broadcast = Nl.RTN_BROADCAST,
    Anycast = Nl.RTN_ANYCAST,
    Multicast = Nl.RTN_MULTICAST,
    /// <summary>Dropped silently.</summary>
    Blackhole = Nl.RTN_BLACKHOLE,
    /// <summary>Dropped with "host unreachable".</summary>
    Unreachable = Nl.RTN_UNREACHABLE,
    /// <summary>Dropped with "administratively prohibited".</summary>
    Prohibit = Nl.RTN_PROHIBIT,
    Throw = Nl.RTN_THROW,
    Nat = Nl.RTN_NAT,
}
