using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Replicator.RegistrationDaemon.Tests.Fakes;

/// <summary>A meter factory for one test plus a listener summing every measurement by instrument name and tags.</summary>
public sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _totals = new();

    public TestMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }

    /// <summary>Sum of a counter (optionally for one tag combination like "operation=add,result=ok").</summary>
    public double Total(string instrument, string? tags = null) =>
        _totals.Where(kv => kv.Key == Key(instrument, tags) || (tags is null && kv.Key.StartsWith(instrument + "|"))).Sum(kv => kv.Value);

    /// <summary>Current value of an observable gauge.</summary>
    public double? Gauge(string instrument)
    {
        foreach (var k in _totals.Keys.Where(k => k.StartsWith(instrument + "|"))) _totals.TryRemove(k, out _);
        _listener.RecordObservableInstruments();
        return _totals.TryGetValue(Key(instrument, ""), out var v) ? v : null;
    }

    private void Record(Instrument i, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var t = string.Join(",", tags.ToArray().Select(kv => $"{kv.Key}={kv.Value}"));
        _totals.AddOrUpdate(Key(i.Name, t), value, (_, old) => i is ObservableInstrument<long> or ObservableInstrument<int> or ObservableInstrument<double> ? value : old + value);
    }

    private static string Key(string instrument, string? tags) => instrument + "|" + (tags ?? "");

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var m in _meters) m.Dispose();
    }
}
