using System.Net;
using MessagePack;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

/// <summary>PeerList key 8, the sender's instance (PROTOCOL.md 5.3).</summary>
public class ControlInstanceTests
{
    [Fact]
    public void TryDecode_InstanceZero_ReturnsInvalidValue()
    {
        byte[] datagram = ControlDecodeBadInputTests.Datagram(ControlMessageType.PeerList, (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(3);
            w.Write(0); w.Write(5);
            w.Write(1); w.WriteMapHeader(0);
            w.Write(8); w.Write(0u);
        });
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error));
        Assert.Equal(ControlDecodeError.InvalidValue, error);
    }

    [Fact]
    public void TryEncodePeerList_InstanceZero_RefusedWithInvalidValue()
    {
        var message = Samples.PeerListWithInstance with { Instance = 0 };
        Assert.False(ControlCodec.TryEncodePeerList(message, ControlLimits.DefaultMaxDatagramBytes, false, out _, out ControlEncodeError error));
        Assert.Equal(ControlEncodeError.InvalidValue, error);
    }

    [Fact]
    public void EncodePeerList_SplitList_EveryPartNamesTheInstance()
    {
        var members = Enumerable.Range(1, 400).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToArray();
        var message = new PeerListMessage(90, [new VniAddresses(100, members)], Generation: 7) { Instance = 0xCAFEBABE, Cookie = UInt128.One };
        var parts = ControlCodec.EncodePeerList(message);
        Assert.True(parts.Count > 1);
        foreach (byte[] part in parts)
        {
            Assert.True(part.Length <= ControlLimits.DefaultMaxDatagramBytes);
            Assert.True(ControlCodec.TryDecode(part, out ControlMessage? decoded, out _));
            Assert.Equal(0xCAFEBABEu, ((PeerListMessage)decoded!).Instance);
        }
    }

    [Fact]
    public void TryWriteCookie_ListWithInstance_RewritesTheCookieAndKeepsTheInstance()
    {
        byte[] datagram = ControlCodec.Encode(Samples.PeerListWithInstance);
        Assert.True(ControlCodec.TryWriteCookie(datagram, UInt128.One));
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _));
        Assert.Equal(Samples.PeerListWithInstance with { Cookie = UInt128.One }, decoded);
    }
}
