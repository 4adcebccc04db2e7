using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

/// <summary>What a session's loop reacts to, one at a time, in arrival order (RFC 4271 §8.1 events, ours named plainly).</summary>
internal abstract record BgpSessionEvent
{
    /// <summary>A whole message as read (header checked, body not yet decoded: the loop decodes with what it negotiated).</summary>
    public sealed record MessageRead(byte[] Message) : BgpSessionEvent;

    /// <summary>A header that failed its checks: the NOTIFICATION is sent and the connection closed.</summary>
    public sealed record HeaderRejected(BgpDecodeError Error, byte Type, int Length) : BgpSessionEvent;

    /// <summary>The peer closed the connection or a read failed.</summary>
    public sealed record ConnectionLost(string Reason) : BgpSessionEvent;

    public sealed record HoldTimerExpired : BgpSessionEvent;

    public sealed record KeepaliveTimerExpired : BgpSessionEvent;

    /// <summary>The exported set changed: the changes wait in the session's <see cref="BgpExportQueue"/> (established sessions only).</summary>
    public sealed record ExportChanged : BgpSessionEvent;

    public static readonly BgpSessionEvent HoldExpired = new HoldTimerExpired();
    public static readonly BgpSessionEvent KeepaliveDue = new KeepaliveTimerExpired();
    public static readonly BgpSessionEvent ExportsChanged = new ExportChanged();
}
