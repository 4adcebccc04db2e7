namespace Replicator.Hosting.Authentication;

/// <summary>Metric tag values for <see cref="ControlVerification"/>, allocated once.</summary>
public static class ControlVerificationTags
{
    private static readonly string[] Tags = ["ok", "unsigned", "unknown_key", "bad_signature", "stale", "replayed"];

    /// <summary>"ok", "unsigned", "unknown_key", "bad_signature", "stale" or "replayed".</summary>
    public static string ToTag(this ControlVerification verification) =>
        (uint)verification < (uint)Tags.Length ? Tags[(int)verification] : "unknown";
}
