using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// Proof that the leak tests catch a leak: this test assembly, loaded into a real vxsnd as a .NET
/// startup hook (<c>DOTNET_STARTUP_HOOKS</c>), keeps <see cref="BytesPerDatagram"/> bytes alive for
/// every control datagram vxsnd counts (registrations received, control drops), as a registry
/// that forgot to free would. Nothing of it is in vxsnd: without the environment below the daemon
/// is the shipped one.
/// </summary>
internal static class LeakInjection
{
    public const string Variable = "REPLICATOR_TEST_INJECT_LEAK";
    public const int BytesPerDatagram = 1024;

    /// <summary>Caps the leak so a long fuzz cannot take the machine down.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>The environment that makes a started vxsnd leak.</summary>
    public static Dictionary<string, string> Environment => new()
    {
        ["DOTNET_STARTUP_HOOKS"] = typeof(LeakInjection).Assembly.Location,
        [Variable] = "1",
    };

    /// <summary>True when the variable asks for the leak (so the flag in test names can be read from the environment).</summary>
    public static bool Requested => System.Environment.GetEnvironmentVariable(Variable) == "1";

    private static readonly List<byte[]> Leaked = [];
    private static long s_leaked;
    private static MeterListener? s_listener;

    public static void Start()
    {
        s_listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is "vxsnd.registrations.received" or "vxsnd.control.dropped") listener.EnableMeasurementEvents(instrument);
            },
        };
        s_listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            lock (Leaked)
            {
                for (long i = 0; i < value && s_leaked < MaxBytes; i++)
                {
                    Leaked.Add(new byte[BytesPerDatagram]);
                    s_leaked += BytesPerDatagram;
                }
            }
        });
        s_listener.Start();
    }
}
