using Xunit;

namespace Replicator.TestSupport;

/// <summary>
/// A test that needs root and the real kernel (network namespaces, VXLAN, raw sockets).
/// Without root it is skipped with the reason, unless REQUIRE_KERNEL_TESTS=1 (CI), where it
/// runs and fails loudly instead: in CI a skipped kernel test would prove nothing.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        string? reason = KernelTestEnvironment.SkipReason;
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}

/// <summary>Theory variant of <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        string? reason = KernelTestEnvironment.SkipReason;
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}

public static class KernelTestEnvironment
{
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_KERNEL_TESTS") == "1";

    public static bool IsRoot => Environment.UserName == "root" || Environment.IsPrivilegedProcess;

    /// <summary>Null when kernel tests must run; otherwise why they are skipped.</summary>
    public static string? SkipReason =>
        IsRoot || Required ? null : "needs root (CAP_NET_ADMIN) for network namespaces; set REQUIRE_KERNEL_TESTS=1 to make this a failure";
}
