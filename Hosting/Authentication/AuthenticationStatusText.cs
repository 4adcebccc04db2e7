namespace Replicator.Hosting.Authentication;

/// <summary>The "authentication" row of both daemons' <c>status</c> table, from the JSON value.</summary>
public static class AuthenticationStatusText
{
    public static string Describe(string? state) => state switch
    {
        "on" => "on (signed and verified)",
        "off" => "OFF: AllowUnauthenticated, no key file; control messages are neither signed nor verified",
        "transitional" => "transitional: signs everything, also accepts unsigned (AllowUnauthenticated with a key file)",
        null or "" => "-",
        _ => state,
    };
}
