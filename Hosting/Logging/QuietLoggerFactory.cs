using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Logging;

/// <summary>
/// The daemon's logger factory as seen by an embedded server (management, metrics): ASP.NET Core's own
/// per-request information logs are dropped (warnings and errors still pass), so an operator's
/// every <c>vxsnd fdb</c> does not add six lines to the daemon log.
/// </summary>
internal sealed class QuietLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith("Microsoft.", StringComparison.Ordinal) ? new MinimumLevelLogger(logger, LogLevel.Warning) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The daemon owns the inner factory.
    }

    private sealed class MinimumLevelLogger(ILogger inner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= minimum) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
