namespace Replicator.Hosting.Authentication;

/// <summary>What a daemon's control authentication does, as <c>status</c> shows it (lower case in JSON and tables).</summary>
public enum ControlAuthenticationState
{
    /// <summary>No key file (<c>AllowUnauthenticated: true</c>): nothing is signed or verified.</summary>
    Off,

    /// <summary>A key file: everything is signed and only datagrams signed with a listed key are accepted.</summary>
    On,

    /// <summary>A key file and <c>AllowUnauthenticated: true</c>: everything is signed; unsigned datagrams are accepted too (key roll-out).</summary>
    Transitional,
}
