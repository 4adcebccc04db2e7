using Replicator.Hosting.Authentication;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Bgp;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport.Docs;

namespace Replicator.ServiceNode.Tests.Docs;

/// <summary>
/// docs/configuration.md lists exactly the keys vxsnd's own composition declares (the keys the
/// start-up check accepts), section by section, each with its options class's default, and
/// claims a live reload only for a section the daemon registers as reloadable.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    /// <summary>The options class behind each section vxsnd declares, for its defaults.</summary>
    private static readonly Dictionary<string, Type> OptionsTypes = new(StringComparer.Ordinal)
    {
        [ServiceNodeOptions.SectionName] = typeof(ServiceNodeOptions),
        [RegistryOptions.SectionName] = typeof(RegistryOptions),
        [ReplicationOptions.SectionName] = typeof(ReplicationOptions),
        [ClusterOptions.SectionName] = typeof(ClusterOptions),
        [ControlLimitsOptions.SectionName] = typeof(ControlLimitsOptions),
        [$"{ServiceNodeOptions.SectionName}:{ControlAuthenticationOptions.SectionName}"] = typeof(ControlAuthenticationOptions),
        [$"{ServiceNodeOptions.SectionName}:{MetricsOptions.SectionName}"] = typeof(MetricsOptions),
        [BgpOptions.SectionName] = typeof(BgpOptions),
        [EvpnOptions.SectionName] = typeof(EvpnOptions),
    };

    private static readonly ConfigurationReference Reference =
        new("vxsnd", ServiceNodeOptions.SectionName, OptionsTypes, () => Program.CreateBuilder(null, []));

    [Fact]
    public void Reference_Sections_AreTheSectionsTheDaemonDeclares() => ReferenceTables.AssertNone(Reference.SectionProblems());

    [Fact]
    public void Reference_Keys_AreExactlyTheDeclaredKeys() => ReferenceTables.AssertNone(Reference.KeyProblems());

    [Fact]
    public void Reference_Defaults_AreTheOptionsClassesDefaults() => ReferenceTables.AssertNone(Reference.DefaultProblems());

    [Fact]
    public void Reference_Reload_LiveOnlyWhereTheSectionIsReloadable() => ReferenceTables.AssertNone(Reference.ReloadProblems());
}
