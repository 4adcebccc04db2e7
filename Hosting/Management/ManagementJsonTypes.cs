using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Replicator.Hosting.Management;

/// <summary>
/// The management API's types: <see cref="ManagementJsonContext"/> and each daemon's context, asked
/// in turn. A daemon adds its context before it serves or sends JSON; the list is copied on write.
/// </summary>
internal sealed class ManagementJsonTypes : IJsonTypeInfoResolver
{
    private readonly Lock _lock = new();
    private volatile IJsonTypeInfoResolver[] _resolvers = [ManagementJsonContext.Default];
    private IJsonTypeInfoResolver? _reflection;

    public void Add(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        lock (_lock)
        {
            if (!_resolvers.Contains(resolver)) _resolvers = [.. _resolvers, resolver];
        }
    }

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        foreach (var resolver in _resolvers)
        {
            if (resolver.GetTypeInfo(type, options) is { } info) return info;
        }
        return JsonSerializer.IsReflectionEnabledByDefault ? Reflection(type, options) : null;
    }

    // Reached only when reflection-based JSON is on: the JIT build, where tests serialize their own
    // types and the daemons' types without registering a context. IsReflectionEnabledByDefault is a
    // feature switch that Native AOT and trimming set to false, so this call is removed from the binaries.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only under IsReflectionEnabledByDefault, false in trimmed builds.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only under IsReflectionEnabledByDefault, false in Native AOT builds.")]
    private JsonTypeInfo? Reflection(Type type, JsonSerializerOptions options) =>
        (_reflection ??= new DefaultJsonTypeInfoResolver()).GetTypeInfo(type, options);
}
