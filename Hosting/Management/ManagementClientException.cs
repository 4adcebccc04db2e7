namespace Replicator.Hosting.Management;

/// <summary>A management call failed; <see cref="Exception.Message"/> is one line for the operator.</summary>
public sealed class ManagementClientException : Exception
{
    public ManagementClientException(string message, int? statusCode = null, Exception? inner = null) : base(message, inner) => StatusCode = statusCode;

    /// <summary>HTTP status of the daemon's answer, or null when the daemon could not be reached.</summary>
    public int? StatusCode { get; }
}
