namespace Replicator.Hosting.Configuration;

/// <summary>
/// Names the key an options property had in the parent section before it moved into its own nested
/// section (<c>ServiceNode:DataPort</c> became <c>ServiceNode:DataPlane:Port</c>). The old key is
/// refused like any unknown key, but the error names where it went instead of guessing a near one.
/// A property whose name did not change needs no attribute: a key of a nested section is found by its name.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public sealed class FormerKeyAttribute(string key) : Attribute
{
    /// <summary>The old key, relative to the parent section.</summary>
    public string Key { get; } = key ?? throw new ArgumentNullException(nameof(key));
}
