using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Replicator.ServiceNode.Cluster;

namespace Replicator.ServiceNode.Bgp;

/// <summary>The validated <see cref="BgpOptions"/> in the terms the sessions use.</summary>
internal sealed record BgpSettings(
    uint LocalAs,
    uint RouterId,
    IReadOnlyList<BgpPeerId> Peers,
    ushort HoldTimeSeconds,
    TimeSpan ConnectRetry,
    TimeSpan ConnectRetryMax,
    IPAddress? LocalAddress,
    byte[]? Md5Key,
    int MaxRoutesPerPeer,
    int MaxQueuedChangesPerPeer = BgpSettings.DefaultMaxQueuedChangesPerPeer)
{
    /// <summary>
    /// Export changes queued per peer by default: about 32 bytes each (the routes are shared with the set), so 320 KB
    /// for a peer that stopped reading; a burst of registrations larger than this costs one resynchronisation, not a session.
    /// </summary>
    public const int DefaultMaxQueuedChangesPerPeer = 10_000;

    /// <summary>How long one TCP connect may take before it counts as failed.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>RFC 4271 §8: the hold time proposed while waiting for the peer's OPEN ("large value", 4 minutes).</summary>
    public static readonly TimeSpan OpenHoldTime = TimeSpan.FromMinutes(4);

    /// <summary>Builds the settings from options the validator accepted.</summary>
    public static BgpSettings From(BgpOptions options, string? controlAddress)
    {
        ArgumentNullException.ThrowIfNull(options);
        uint routerId = options.RouterId is { } text && !string.IsNullOrWhiteSpace(text) && TryParseRouterId(text, out uint id) ? id
            : DefaultRouterId(controlAddress) ?? throw new InvalidOperationException("no router id: validation should have refused the options");
        var peers = new List<BgpPeerId>();
        foreach (string p in options.Peers)
        {
            if (!PeerAddress.TryParse(p, out var peer, out _)) continue;
            peers.Add(new BgpPeerId(new IPEndPoint(peer.Address, peer.ControlPort ?? options.Port)));
        }
        byte[]? key = null;
        if (options.PasswordFile is { } file && !string.IsNullOrWhiteSpace(file) && !BgpPassword.TryRead(file, out key, out string? error))
            throw new InvalidOperationException($"{BgpOptions.SectionName}:PasswordFile: {error}");
        return new BgpSettings(options.LocalAs, routerId, peers, (ushort)options.HoldTime.TotalSeconds, options.ConnectRetry, options.ConnectRetryMax,
            options.LocalAddress is { } local && !string.IsNullOrWhiteSpace(local) ? IPAddress.Parse(local) : null, key, options.MaxRoutesPerPeer,
            options.MaxQueuedChangesPerPeer);
    }

    /// <summary>A router id in dotted IPv4 form, not 0.0.0.0 (RFC 6286 allows any other 32-bit value).</summary>
    public static bool TryParseRouterId(string text, out uint id)
    {
        id = 0;
        if (!IPAddress.TryParse(text.Trim(), out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3) return false;
        id = ToRouterId(address);
        return id != 0;
    }

    /// <summary>The control address as router id when it is an IPv4 unicast address (not 0.0.0.0).</summary>
    public static uint? DefaultRouterId(string? controlAddress) =>
        controlAddress is not null && IPAddress.TryParse(controlAddress, out var a) && a.AddressFamily == AddressFamily.InterNetwork
            && PeerAddress.IsUnicast(a) ? ToRouterId(a) : null;

    public static uint ToRouterId(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static string RouterIdText(uint id)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        return new IPAddress(bytes).ToString();
    }
}
