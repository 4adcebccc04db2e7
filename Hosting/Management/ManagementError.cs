namespace Replicator.Hosting.Management;

/// <summary>Body of every non-success management response: one operator-readable sentence.</summary>
public sealed record ManagementError(string Error);
