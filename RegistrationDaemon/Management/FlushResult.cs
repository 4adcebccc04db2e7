namespace Replicator.RegistrationDaemon.Management;

/// <summary>Body of <c>POST /flush</c>: how many default destinations were deleted.</summary>
internal sealed record FlushResult(int Deleted);
