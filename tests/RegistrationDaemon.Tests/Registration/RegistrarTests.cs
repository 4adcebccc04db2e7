using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;

namespace Replicator.RegistrationDaemon.Tests.Registration;

public sealed class RegistrarTests : IDisposable
{
    private static readonly VniAddress P100 = new(100, IPAddress.Parse("198.51.100.1"));
    private static readonly VniAddress P200 = new(200, IPAddress.Parse("198.51.100.1"));
    private readonly FakeTimeProvider _time = new();
    private readonly FakeControlChannel _channel = new();
    private readonly TestMeters _meters = new();
    private readonly Registrar _registrar;

    public RegistrarTests() => _registrar = New(new RuntimeSettings(ReplicationMode.HeadEnd, TimeSpan.FromSeconds(90), 3));

    private Registrar New(RuntimeSettings settings) => new(_channel, IPAddress.Parse("203.0.113.1"), settings, _time, new Random(1),
        new RegistrationMetrics(_meters, _time), NullLogger.Instance);

    public void Dispose() => _meters.Dispose();

    private void RunUntil(TimeSpan span)
    {
        var end = _time.GetUtcNow() + span;
        while (_registrar.NextDue <= end)
        {
            var due = _registrar.NextDue;
            if (due > _time.GetUtcNow()) _time.Advance(due - _time.GetUtcNow());
            _registrar.OnTimer();
        }
        _time.Advance(end - _time.GetUtcNow());
        _registrar.OnTimer();
    }

    [Fact]
    public void SendPending_NewPairs_SentAtOnceAskingForPeerLists()
    {
        _registrar.Add(P100);
        _registrar.Add(P200);
        _registrar.SendPending();
        var batch = Assert.Single(_channel.Sent);
        Assert.Equal([P100, P200], batch.Entries);
        Assert.True(batch.WantPeerLists);
        Assert.Equal(TimeSpan.FromSeconds(90), batch.HoldTime);
        Assert.Equal(1, _meters.Total("vxrd.registrations.sent"));
    }

    [Fact]
    public void RequestResync_SpeaksDeltas_ResyncNamesTheIncompleteListJoinDoesNot()
    {
        _registrar.HeldGeneration = _ => 0;
        _registrar.Add(P100);
        _registrar.SendPending();
        _registrar.OnContact();
        _registrar.RequestResync();
        RunUntil(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _channel.Sent.Count);
        Assert.False(_channel.Sent[0].NameIncompleteList); // a join asks for lists of new VNIs: no list of them can be incomplete
        Assert.True(_channel.Sent[1].NameIncompleteList);
        Assert.NotNull(_channel.Sent[1].Generations);
    }

    [Fact]
    public void RequestResync_NoDeltas_NeverNamesAnIncompleteList()
    {
        _registrar.Add(P100);
        _registrar.SendPending();
        _registrar.OnContact();
        _registrar.RequestResync();
        RunUntil(TimeSpan.FromSeconds(1));
        Assert.All(_channel.Sent, b => Assert.False(b.NameIncompleteList));
    }

    [Fact]
    public void OnTimer_Answered_RefreshesEveryIntervalWithEarlyJitter()
    {
        _registrar.Add(P100);
        _registrar.SendPending();
        var times = new List<double>();
        var t0 = _time.GetUtcNow();
        for (int i = 0; i < 20; i++)
        {
            _registrar.OnContact();
            int before = _channel.Sent.Count;
            while (_channel.Sent.Count == before)
            {
                _time.Advance(_registrar.NextDue - _time.GetUtcNow());
                _registrar.OnTimer();
            }
            times.Add((_time.GetUtcNow() - t0).TotalSeconds);
            t0 = _time.GetUtcNow();
        }
        Assert.All(times, t => Assert.InRange(t, 22.5, 30.0));
        Assert.True(times.Distinct().Count() > 5, "refreshes are jittered");
        Assert.Equal(ServiceNodeState.Reachable, _registrar.State);
    }

    [Fact]
    public void OnTimer_Unanswered_RetriesWithBackoffAndTurnsUnreachable()
    {
        _registrar.Add(P100);
        _registrar.SendPending();
        RunUntil(TimeSpan.FromSeconds(16));
        // 1 + retries at 1, 3, 7, 15 s (delays 1, 2, 4, 8).
        Assert.Equal(5, _channel.Sent.Count);
        Assert.Equal(ServiceNodeState.Unknown, _registrar.State);
        RunUntil(TimeSpan.FromSeconds(45));
        Assert.Equal(ServiceNodeState.Unreachable, _registrar.State);
        Assert.True(_channel.Sent.Count < 12, $"backoff is capped at the refresh interval, sent {_channel.Sent.Count}");
        _registrar.OnContact();
        Assert.Equal(ServiceNodeState.Reachable, _registrar.State);
        Assert.Equal(1, _meters.Gauge("vxrd.servicenode.reachable"));
    }

    [Fact]
    public void Remove_LastUserOfPair_WithdrawsWithHoldTimeZero()
    {
        _registrar.Add(P100);
        _registrar.Add(P100);
        _registrar.SendPending();
        _registrar.Remove(P100);
        _registrar.SendPending();
        Assert.Single(_channel.Sent);
        _registrar.Remove(P100);
        _registrar.SendPending();
        Assert.True(_channel.Last.IsWithdrawal);
        Assert.False(_channel.Last.WantPeerLists);
        Assert.Equal([P100], _channel.Last.Entries);
        Assert.Empty(_registrar.Registered);
    }

    [Fact]
    public void Remove_PairAddedInSameStep_SendsNothing()
    {
        _registrar.Add(P100);
        _registrar.Remove(P100);
        _registrar.SendPending();
        Assert.Empty(_channel.Sent);
    }

    [Fact]
    public void UpdateSettings_NewHoldTime_RefreshesAtOnceWithIt()
    {
        _registrar.Add(P100);
        _registrar.SendPending();
        _registrar.OnContact();
        _registrar.UpdateSettings(new RuntimeSettings(ReplicationMode.HeadEnd, TimeSpan.FromSeconds(30), 3));
        Assert.Equal(2, _channel.Sent.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), _channel.Last.HoldTime);
        Assert.True(_registrar.NextDue <= _time.GetUtcNow() + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void WithdrawAll_Registered_SendsOneWithdrawal()
    {
        _registrar.Add(P100);
        _registrar.Add(P200);
        _registrar.SendPending();
        _registrar.WithdrawAll();
        Assert.True(_channel.Last.IsWithdrawal);
        Assert.Equal(2, _channel.Last.Entries.Count);
        Assert.Equal(DateTimeOffset.MaxValue, _registrar.NextDue);
    }
}
