using System.Net;
using Replicator.Linux.Fdb;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Fdb;

public class FdbParserTests
{
    [Fact]
    public void TryParse_CapturedDump_KeepsRemotesAndSkipsBridgeEntry()
    {
        var reader = new NetlinkMessageReader(CapturedNeighbours.Bytes(CapturedNeighbours.NeighDump));
        var entries = new List<FdbEntry>();
        int messages = 0;
        while (reader.TryRead(out var message))
        {
            messages++;
            if (FdbParser.TryParse(message, out var entry))
            {
                entries.Add(entry);
            }
        }
        Assert.Equal(3, messages);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(2, e.IfIndex);
            Assert.True(e.IsDefaultDestination);
            Assert.Equal(Nl.NUD_NOARP | Nl.NUD_PERMANENT, e.State);
            Assert.Equal(Nl.NTF_SELF, e.Flags);
            Assert.Null(e.Vni);
            Assert.Null(e.Port);
        });
        Assert.Equal([IPAddress.Parse("192.0.2.9"), IPAddress.Parse("198.51.100.78")], entries.Select(e => e.Destination));
    }

    [Fact]
    public void TryParse_EveryTruncation_NeverThrows()
    {
        byte[] full = CapturedNeighbours.Bytes(CapturedNeighbours.NeighDump)[0x4c..(0x4c + 0x44)];
        for (int length = 16; length <= full.Length; length++)
        {
            byte[] copy = full[..length];
            BitConverter.TryWriteBytes(copy, (uint)length);
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));
            bool parsed = FdbParser.TryParse(message, out _);
            // Complete after NDA_DST (byte 48) or NDA_CACHEINFO (68); a partial attribute makes it malformed.
            Assert.Equal(length is 48 or 68, parsed);
        }
    }
}
