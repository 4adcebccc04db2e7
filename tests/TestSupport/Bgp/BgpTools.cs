using Xunit;

namespace Replicator.TestSupport.Bgp;

/// <summary>
/// Where FRR and GoBGP live (Debian's frr 8.4 and gobgpd packages, installed by
/// tests/prerequisites.sh) and whether a test can use them.
/// </summary>
public static class BgpTools
{
    public const string FrrDirectory = "/usr/lib/frr";
    public const string Zebra = FrrDirectory + "/zebra";
    public const string Bgpd = FrrDirectory + "/bgpd";
    public const string Vtysh = "/usr/bin/vtysh";
    public const string GoBgpd = "/usr/bin/gobgpd";
    public const string GoBgp = "/usr/bin/gobgp";

    /// <summary>CI installs FRR and GoBGP, so there a missing tool is a failure, not a skip.</summary>
    public static bool Required =>
        KernelTestEnvironment.Required || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when FRR and GoBGP tests must run; otherwise why they are skipped.</summary>
    public static string? SkipReason
    {
        get
        {
            if (KernelTestEnvironment.SkipReason is { } kernel) return kernel;
            if (Required) return null;
            string[] missing = [.. new[] { Zebra, Bgpd, Vtysh, GoBgpd, GoBgp }.Where(f => !File.Exists(f))];
            return missing.Length == 0
                ? null
                : $"needs FRR and GoBGP (apt-get install frr gobgpd, or tests/prerequisites.sh); missing: {string.Join(", ", missing)}";
        }
    }
}

/// <summary>A kernel test that also runs FRR and/or GoBGP: skipped with the reason when they are not installed here (never in CI).</summary>
public sealed class BgpFactAttribute : FactAttribute
{
    public BgpFactAttribute()
    {
        if (BgpTools.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>Theory variant of <see cref="BgpFactAttribute"/>.</summary>
public sealed class BgpTheoryAttribute : TheoryAttribute
{
    public BgpTheoryAttribute()
    {
        if (BgpTools.SkipReason is { } reason) Skip = reason;
    }
}
