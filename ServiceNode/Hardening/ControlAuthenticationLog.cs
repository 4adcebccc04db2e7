using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Hardening;

/// <summary>Authentication logs (event ids 2400-2499; ServiceNodeEventIds holds 2000-2199). Never a key byte: only paths, ids and counts.</summary>
internal static partial class ControlAuthenticationLog
{
    [LoggerMessage(EventId = 2401, Level = LogLevel.Information,
        Message = "Control authentication on: {KeyCount} keys (ids {KeyIds}) from {Path}, signing with key id {PrimaryKeyId}")]
    public static partial void KeysLoaded(ILogger logger, int keyCount, string keyIds, string path, uint primaryKeyId);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Error,
        Message = "Key file not reloaded, the previous keys stay in force: {Problem}")]
    public static partial void KeysReloadFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning,
        Message = "Key file {Path} is readable by group or others (mode {Mode}); restrict it to the daemon's user (chmod 600)")]
    public static partial void KeyFileTooOpen(ILogger logger, string path, string mode);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning,
        Message = "Control authentication off ({Option} not set): control messages are neither signed nor verified")]
    public static partial void AuthenticationOff(ILogger logger, string option);
}
