using Replicator.Hosting.Configuration;
using Replicator.RegistrationDaemon.Configuration;

namespace Replicator.RegistrationDaemon.Tests.Configuration;

public sealed class ReloadableRuntimeSettingsTests
{
    private sealed class FakeReloadable(RegistrationDaemonOptions initial) : IReloadableOptions<RegistrationDaemonOptions>
    {
        public RegistrationDaemonOptions Current { get; private set; } = initial;

        public event Action<RegistrationDaemonOptions>? Changed;

        public void Reload(RegistrationDaemonOptions next)
        {
            Current = next;
            Changed?.Invoke(next);
        }
    }

    [Fact]
    public void Changed_ModeReloaded_RaisedOnceWithNewValue()
    {
        var source = new FakeReloadable(new RegistrationDaemonOptions { ServiceNode = "203.0.113.1" });
        using var settings = new ReloadableRuntimeSettings(source);
        var seen = new List<RuntimeSettings>();
        settings.Changed += seen.Add;
        source.Reload(new RegistrationDaemonOptions { ServiceNode = "203.0.113.1", Mode = ReplicationMode.ServiceNode });
        var change = Assert.Single(seen);
        Assert.Equal(ReplicationMode.ServiceNode, change.Mode);
        Assert.Equal(change, settings.Current);
    }

    [Fact]
    public void Changed_OnlyStartupKeysReloaded_NotRaised()
    {
        var source = new FakeReloadable(new RegistrationDaemonOptions { ServiceNode = "203.0.113.1" });
        using var settings = new ReloadableRuntimeSettings(source);
        int raised = 0;
        settings.Changed += _ => raised++;
        source.Reload(new RegistrationDaemonOptions { ServiceNode = "203.0.113.1", ReconcileInterval = TimeSpan.FromSeconds(3), Devices = ["x*"] });
        Assert.Equal(0, raised);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Current.RefreshInterval);
    }
}
