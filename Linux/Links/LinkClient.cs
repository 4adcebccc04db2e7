using System.Diagnostics.CodeAnalysis;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Links;

/// <summary>Reads the kernel's links over rtnetlink (the <c>ip -d link show</c> equivalent).</summary>
public sealed class LinkClient : IDisposable
{

    private readonly NetlinkSocket _socket;
    private readonly byte[] _request = new byte[64];

    private LinkClient(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens its own netlink socket; throws <see cref="NativeException"/> when it cannot.</summary>
    public static LinkClient Open(TimeSpan? timeout = null) => new(NetlinkSocket.Open(timeout ?? TimeSpan.FromSeconds(5)));

    /// <summary>
    /// Every link in this network namespace (RTM_GETLINK dump, AF_UNSPEC, statistics skipped).
    /// Retried up to <see cref="NetlinkSocket.DumpAttempts"/> times while NLM_F_DUMP_INTR; the result then reports it.
    /// Equivalent to: <c>ip -d link show</c>.
    /// </summary>
    public DumpResult<LinkInfo> DumpLinks() =>
        _socket.DumpAll(BuildRequest, static (NetlinkMessage message, [MaybeNullWhen(false)] out LinkInfo link) => LinkParser.TryParse(message, out link));

    public void Dispose() => _socket.Dispose();

    private ReadOnlySpan<byte> BuildRequest()
    {
        var writer = new NetlinkMessageWriter(_request, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, _socket.NextSequence());
        writer.WriteFamilyHeader(new ifinfomsg { ifi_family = LibC.AF_UNSPEC });
        writer.AddUInt32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_SKIP_STATS);
        writer.TryFinish(out int length);
        return _request.AsSpan(0, length);
    }
}
