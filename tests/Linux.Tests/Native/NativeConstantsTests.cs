using System.Reflection;
using Replicator.Linux.Native;

namespace Replicator.Linux.Tests.Native;

/// <summary>Every libc constant and errno value we declare equals Tmds.LibC's, except the few it lacks.</summary>
public class NativeConstantsTests
{
    // Tmds.LibC 0.5.0 has no netlink, no Ethernet header sizes and no TPACKET ring versions or sizes;
    // these are checked by a C compiler instead (CompilerLayoutTests, PacketLayoutTests).
    private static readonly string[] AbsentFromTmds =
        ["ETH_ALEN", "ETH_HLEN", "NETLINK_ADD_MEMBERSHIP", "NETLINK_DROP_MEMBERSHIP", "NETLINK_EXT_ACK", "NETLINK_GET_STRICT_CHK",
            "TPACKET2_HDRLEN", "TPACKET_ALIGNMENT", "TPACKET_V2"];

    private static IEnumerable<FieldInfo> OurConstants() =>
        typeof(LibC).GetFields(BindingFlags.Static | BindingFlags.Public).Where(f => f.IsLiteral && f.FieldType == typeof(int));

    [Fact]
    public void LibCConstants_DefinedByTmdsLibC_AreEqual()
    {
        var checkedNames = new List<string>();
        foreach (FieldInfo constant in OurConstants())
        {
            if (TmdsOracle.Constant(constant.Name) is not { } expected) continue;
            Assert.True(expected == (int)constant.GetRawConstantValue()!, $"{constant.Name}: ours {constant.GetRawConstantValue()}, Tmds.LibC {expected}");
            checkedNames.Add(constant.Name);
        }
        Assert.True(checkedNames.Count >= 40, $"only {checkedNames.Count} constants checked");
    }

    [Fact]
    public void LibCConstants_MissingFromTmdsLibC_AreOnlyTheKnownFew()
    {
        string[] missing = OurConstants().Select(f => f.Name).Where(n => TmdsOracle.Constant(n) is null).Order().ToArray();
        Assert.True(AbsentFromTmds.Order().SequenceEqual(missing), $"absent from Tmds.LibC: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Errno_EveryValue_EqualsTmdsLibC()
    {
        foreach (Errno errno in Enum.GetValues<Errno>().Where(e => e != Errno.SUCCESS))
        {
            Assert.True(TmdsOracle.Constant(errno.ToString()) == (long)errno, $"{errno}");
        }
    }
}
