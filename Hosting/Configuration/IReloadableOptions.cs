namespace Replicator.Hosting.Configuration;

/// <summary>
/// The last valid value of a reloadable options section (the YARP configuration-snapshot idea).
/// A reload that fails validation is logged and leaves <see cref="Current"/> as it was; listeners
/// only ever see validated values. Settings that are read once at start (bind addresses) simply
/// read <see cref="Current"/> once.
/// </summary>
public interface IReloadableOptions<TOptions> where TOptions : class
{
    /// <summary>The current validated value; replaced whole (never mutated) on a good reload.</summary>
    TOptions Current { get; }

    /// <summary>Raised after a reload produced a new valid value that differs from the previous one.</summary>
    event Action<TOptions>? Changed;
}
