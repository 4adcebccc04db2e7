using Replicator.Hosting.Health;

namespace Replicator.Hosting.Health.Tests;

public class ReadinessStateTests
{
    [Fact]
    public void New_HostStartedUnmet_NotReady()
    {
        var state = new ReadinessState();

        Assert.False(state.IsReady);
        Assert.Equal([ReadinessState.HostStarted], state.UnmetConditions());
    }

    [Fact]
    public void Set_AllConditionsMet_Ready()
    {
        var state = new ReadinessState();
        var sockets = state.Register("sockets bound");
        state.Register("initial state loaded");
        state.Set(ReadinessState.HostStarted, true);
        sockets.MarkMet();

        Assert.False(state.IsReady);
        Assert.Equal(["initial state loaded"], state.UnmetConditions());

        state.Set("initial state loaded", true);

        Assert.True(state.IsReady);
        Assert.Empty(state.UnmetConditions());
    }

    [Fact]
    public void Register_SameNameTwice_ReturnsSameHandle()
    {
        var state = new ReadinessState();

        Assert.Same(state.Register("sockets bound"), state.Register("sockets bound"));
    }

    [Fact]
    public void Register_NewConditionAfterReady_NotReadyAgain()
    {
        var state = new ReadinessState();
        state.Set(ReadinessState.HostStarted, true);
        Assert.True(state.IsReady);

        state.Register("late condition");

        Assert.False(state.IsReady);
    }

    [Fact]
    public async Task WaitUntilReadyAsync_CompletesWhenLastConditionMet()
    {
        var state = new ReadinessState();
        var wait = state.WaitUntilReadyAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);

        state.Set(ReadinessState.HostStarted, true);

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitUntilReadyAsync_ReadyThenUnmet_WaitsAgain()
    {
        var state = new ReadinessState();
        var c = state.Register("sockets bound");
        state.Set(ReadinessState.HostStarted, true);
        c.MarkMet();
        await state.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        c.MarkUnmet();
        var wait = state.WaitUntilReadyAsync(CancellationToken.None);

        Assert.False(wait.IsCompleted);
        c.MarkMet();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitUntilReadyAsync_Cancelled_Throws()
    {
        var state = new ReadinessState();
        using var cts = new CancellationTokenSource();
        var wait = state.WaitUntilReadyAsync(cts.Token);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void Changed_RaisedOnlyOnRealChange()
    {
        var state = new ReadinessState();
        int changes = 0;
        state.Changed += _ => changes++;
        var c = state.Register("x");

        c.MarkMet();
        c.MarkMet();
        c.MarkUnmet();

        Assert.Equal(3, changes);
    }

    [Fact]
    public void Snapshot_ListsEveryConditionInRegistrationOrder()
    {
        var state = new ReadinessState();
        state.Register("a").MarkMet();
        state.Register("b");

        Assert.Equal(
            [new(ReadinessState.HostStarted, false), new("a", true), new("b", false)],
            state.Snapshot());
    }
}
