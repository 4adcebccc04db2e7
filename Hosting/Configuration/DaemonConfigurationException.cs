namespace Replicator.Hosting.Configuration;

/// <summary>
/// The daemon cannot start with its configuration: a missing or unparsable file, a value that does
/// not convert, or an option that fails validation. <see cref="Exception.Message"/> is meant for
/// the operator as is: one line per problem, each naming the key and the value.
/// </summary>
public sealed class DaemonConfigurationException : Exception
{
    public DaemonConfigurationException(string message) : base(message) => Errors = [message];

    public DaemonConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public DaemonConfigurationException(string message, Exception inner) : base(message, inner) => Errors = [message];

    /// <summary>Every problem found, one entry each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
