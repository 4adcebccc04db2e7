using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Authentication;

/// <summary>Authentication logs (event ids 1200-1299 of <see cref="HostingEventIds"/>, shared by both daemons). Never a key byte: only paths, ids and counts.</summary>
internal static partial class ControlAuthenticationLog
{
    [LoggerMessage(EventId = HostingEventIds.KeysLoaded, Level = LogLevel.Information,
        Message = "Control authentication on: {KeyCount} keys (ids {KeyIds}) from {Path}, signing with key id {PrimaryKeyId}")]
    public static partial void KeysLoaded(ILogger logger, int keyCount, string keyIds, string path, uint primaryKeyId);

    [LoggerMessage(EventId = HostingEventIds.KeysReloadFailed, Level = LogLevel.Error,
        Message = "Key file not reloaded, the previous keys stay in force: {Problem}")]
    public static partial void KeysReloadFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = HostingEventIds.KeyFileTooOpen, Level = LogLevel.Warning,
        Message = "Key file {Path} is readable by group or others (mode {Mode}); restrict it to the daemon's user (chmod 600)")]
    public static partial void KeyFileTooOpen(ILogger logger, string path, string mode);

    [LoggerMessage(EventId = HostingEventIds.AuthenticationOff, Level = LogLevel.Warning,
        Message = "Control authentication OFF ({AllowOption} is true and {KeyFileOption} is not set): control messages are neither signed nor verified; anyone who reaches the control port can join, withdraw and redirect traffic")]
    public static partial void AuthenticationOff(ILogger logger, string allowOption, string keyFileOption);

    [LoggerMessage(EventId = HostingEventIds.AuthenticationTransitional, Level = LogLevel.Warning,
        Message = "{AllowOption} is true with a key file: transitional, everything sent is signed but unsigned control messages are accepted too; remove {AllowOption} once every node has the key")]
    public static partial void Transitional(ILogger logger, string allowOption);
}
