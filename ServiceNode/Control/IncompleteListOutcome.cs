namespace Replicator.ServiceNode.Control;

/// <summary>
/// What became of a Register's incomplete list (key 7, PROTOCOL.md 5.2): the <c>result</c> tag of
/// <c>vxsnd.peerlists.incomplete</c>. Every outcome but <see cref="Served"/> answers the registration as if
/// key 7 were absent.
/// </summary>
internal enum IncompleteListOutcome
{
    /// <summary>Answered with the missing parts and the deltas since the list's generations.</summary>
    Served,

    /// <summary>No such message kept: never sent as a kept full list, expired, pushed out by the bounds, or the answer form was reloaded.</summary>
    Unknown,

    /// <summary>A part count other than the message's, no part missing, or a VNI of the list outside what this registration may be answered with.</summary>
    Invalid,

    /// <summary>The ordinary answer is no larger: deltas from what the VTEP holds, nothing to send, or a VNI whose history no longer reaches the list's generation.</summary>
    Larger,
}

/// <summary>The metric tags of <see cref="IncompleteListOutcome"/>, by value.</summary>
internal static class IncompleteListOutcomes
{
    public static readonly string[] Tags = ["served", "unknown", "invalid", "larger"];
}
