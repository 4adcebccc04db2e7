using Replicator.Hosting.Authentication;
using Replicator.Hosting.Metrics;
using Replicator.TestSupport.Docs;

namespace Replicator.RegistrationDaemon.Tests.Docs;

/// <summary>
/// docs/configuration.md lists exactly the keys vxrd's own composition declares (the keys the
/// start-up check accepts), section by section, each with its options class's default, and
/// claims a live reload only for a section the daemon registers as reloadable.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    /// <summary>The options class behind each section vxrd declares, for its defaults.</summary>
    private static readonly Dictionary<string, Type> OptionsTypes = new(StringComparer.Ordinal)
    {
        [RegistrationDaemonOptions.SectionName] = typeof(RegistrationDaemonOptions),
        [$"{RegistrationDaemonOptions.SectionName}:{ControlAuthenticationOptions.SectionName}"] = typeof(ControlAuthenticationOptions),
        [$"{RegistrationDaemonOptions.SectionName}:{MetricsOptions.SectionName}"] = typeof(MetricsOptions),
    };

    private static readonly ConfigurationReference Reference =
        new("vxrd", RegistrationDaemonOptions.SectionName, OptionsTypes, () => Program.CreateBuilder(null, []));

    [Fact]
    public void Reference_Sections_AreTheSectionsTheDaemonDeclares() => ReferenceTables.AssertNone(Reference.SectionProblems());

    [Fact]
    public void Reference_Keys_AreExactlyTheDeclaredKeys() => ReferenceTables.AssertNone(Reference.KeyProblems());

    [Fact]
    public void Reference_Defaults_AreTheOptionsClassesDefaults() => ReferenceTables.AssertNone(Reference.DefaultProblems());

    [Fact]
    public void Reference_Reload_LiveOnlyWhereTheSectionIsReloadable() => ReferenceTables.AssertNone(Reference.ReloadProblems());
}
