using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Native;

/// <summary>
/// What Tmds.LibC does not define (netlink structs and constants, sockaddr_nl, timeval, the NETLINK_* socket
/// options) is checked by the C compiler against the system headers: a generated program static_asserts every
/// size, offset and constant we declare, as Tmds.LibC's own StructTests do. Skipped where gcc is missing.
/// </summary>
public class CompilerLayoutTests
{
    private static readonly Type[] Structs =
        [typeof(sockaddr_nl), typeof(timeval), typeof(nlmsghdr), typeof(rtattr), typeof(ifinfomsg), typeof(ndmsg), typeof(ifaddrmsg), typeof(nlmsgerr), typeof(rtmsg), typeof(tcp_md5sig)];

    private static readonly string[] NetlinkSocketOptions =
        [nameof(LibC.SOL_NETLINK), nameof(LibC.NETLINK_ADD_MEMBERSHIP), nameof(LibC.NETLINK_DROP_MEMBERSHIP), nameof(LibC.NETLINK_EXT_ACK), nameof(LibC.NETLINK_GET_STRICT_CHK),
            nameof(LibC.TCP_MD5SIG)];

    [Fact]
    public void Layouts_AndConstants_MatchSystemHeaders()
    {
        // gcc is a prerequisite of the tests (tests/prerequisites.sh): without it this proves nothing, so it fails.
        Assert.True((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "gcc"))),
            "gcc is not installed: tests/prerequisites.sh installs it (gcc, libc6-dev, linux-libc-dev)");
        string source = Program(out int asserts);
        string path = Path.Combine(Path.GetTempPath(), $"replicator-layout-{Guid.NewGuid():N}.c");
        File.WriteAllText(path, source);
        try
        {
            var (exit, errors) = Compile(path);
            Assert.True(exit == 0, $"gcc refused {asserts} layout assertions:\n{errors}");
            Assert.True(asserts > 100, $"only {asserts} assertions generated");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Program(out int asserts)
    {
        var c = new StringBuilder();
        foreach (string header in new[] { "stddef.h", "sys/socket.h", "sys/time.h", "linux/netlink.h", "linux/rtnetlink.h", "linux/if.h", "linux/if_addr.h", "linux/if_link.h", "linux/neighbour.h", "linux/if_arp.h", "linux/tcp.h" })
        {
            c.Append("#include <").Append(header).AppendLine(">");
        }
        asserts = 0;
        foreach (Type type in Structs)
        {
            c.AppendLine($"_Static_assert(sizeof(struct {type.Name}) == {Marshal.SizeOf(type)}, \"sizeof {type.Name}\");");
            asserts++;
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                c.AppendLine($"_Static_assert(offsetof(struct {type.Name}, {field.Name}) == {Marshal.OffsetOf(type, field.Name)}, \"{type.Name}.{field.Name}\");");
                asserts++;
            }
        }
        var constants = typeof(Nl).GetFields(BindingFlags.Static | BindingFlags.Public).Where(f => f.IsLiteral)
            .Concat(NetlinkSocketOptions.Select(n => typeof(LibC).GetField(n)!))
            .Append(typeof(tcp_md5sig).GetField(nameof(tcp_md5sig.TCP_MD5SIG_MAXKEYLEN))!);
        foreach (FieldInfo constant in constants)
        {
            c.AppendLine($"_Static_assert({Truncated(constant)} == {Convert.ToInt64(constant.GetRawConstantValue())}LL, \"{constant.Name}\");");
            asserts++;
        }
        return c.ToString();
    }

    // A C macro such as NLA_TYPE_MASK (~(...)) is a negative int; ours is the same bits in the field's width.
    private static string Truncated(FieldInfo constant) => Marshal.SizeOf(constant.FieldType) switch
    {
        1 => $"(long long)(unsigned char)({constant.Name})",
        2 => $"(long long)(unsigned short)({constant.Name})",
        4 when constant.FieldType == typeof(uint) => $"(long long)(unsigned int)({constant.Name})",
        _ => $"(long long)({constant.Name})",
    };

    private static (int Exit, string Errors) Compile(string path)
    {
        var start = new ProcessStartInfo("gcc", ["-fsyntax-only", "-std=c11", path]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using Process gcc = Process.Start(start)!;
        string errors = gcc.StandardError.ReadToEnd();
        gcc.StandardOutput.ReadToEnd();
        if (!gcc.WaitForExit(TimeSpan.FromMinutes(2))) gcc.Kill();
        return (gcc.ExitCode, errors);
    }
}
