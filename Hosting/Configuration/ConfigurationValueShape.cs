using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Whether a configuration value has the shape its key binds to. The stock binder reads an array or
/// object where a number belongs as "no value" (the default, or whatever happens to be there), and
/// JSON null the same way; an operator who wrote <c>"ControlPort": [1,2]</c> gets neither what they
/// wrote nor an error. Each problem is one line, <c>KEY: expected X, got Y</c>.
/// </summary>
public static class ConfigurationValueShape
{
    /// <summary>Every shape problem of <paramref name="value"/> for a key of type <paramref name="type"/>; empty when it fits.</summary>
    public static IEnumerable<string> Problems(IConfigurationSection value, Type type)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(type) is { } element) return ListProblems(value, element);
        if (IsScalar(type)) return ScalarProblem(value, type) is { } p ? [$"{value.Path}: {p}"] : [];
        return []; // Nested objects: none of ours; the binder reports what it cannot convert.
    }

    /// <summary>"a number", "true or false", ...: what a key of <paramref name="type"/> takes, for messages.</summary>
    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(TimeSpan)) return "a " + DurationText.Format;
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type))}";
        if (IsNumber(type)) return "a number";
        if (ElementType(type) is not null) return "a list";
        return "an object";
    }

    private static IEnumerable<string> ListProblems(IConfigurationSection value, Type element)
    {
        var children = value.GetChildren().ToList();
        if (children.Count == 0)
        {
            // An empty JSON array reads as "", which is an empty list.
            if (value.Value is null) return [$"{value.Path}: expected a list, got null"];
            if (value.Value.Length == 0) return [];
            return [$"{value.Path}: expected a list (a JSON array, or {value.Path}:0=... {value.Path}:1=... on the command line), got a single value '{value.Value}'"];
        }
        if (!IsArray(children)) return [$"{value.Path}: expected a list, got an object"];
        if (!IsScalar(element)) return [];
        var problems = new List<string>();
        foreach (var item in children)
        {
            if (ScalarProblem(item, element) is { } p) problems.Add($"{item.Path}: {p}");
        }
        return problems;
    }

    private static string? ScalarProblem(IConfigurationSection value, Type type)
    {
        var children = value.GetChildren().ToList();
        if (children.Count > 0) return $"expected {Describe(type)}, got {(IsArray(children) ? "an array" : "an object")}";
        // JSON null and {} both arrive as a key without a value: never silently the default.
        if (value.Value is null) return $"expected {Describe(type)}, got null";
        // An empty JSON array arrives as "": fine for a string (it empties it), nothing else.
        if (value.Value.Length == 0 && type != typeof(string)) return $"expected {Describe(type)}, got an empty value";
        return null;
    }

    private static bool IsArray(List<IConfigurationSection> children) =>
        children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    private static bool IsScalar(Type type) =>
        type == typeof(string) || type == typeof(bool) || type == typeof(TimeSpan) || type.IsEnum || IsNumber(type);

    private static bool IsNumber(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(short)
        || type == typeof(ushort) || type == typeof(byte) || type == typeof(double) || type == typeof(float) || type == typeof(decimal);

    /// <summary>The element type when <paramref name="type"/> is a list (array or generic collection, not string); otherwise null.</summary>
    internal static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        return type.IsGenericType && type.GetGenericArguments() is [var element]
            && ListDefinitions.Contains(type.GetGenericTypeDefinition()) ? element : null;
    }

    // The generic lists an options property may be: named, since asking "is it an IEnumerable<T>?"
    // needs MakeGenericType, which a Native AOT build cannot promise.
    private static readonly Type[] ListDefinitions =
    [
        typeof(List<>), typeof(IList<>), typeof(ICollection<>), typeof(IEnumerable<>),
        typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>), typeof(HashSet<>), typeof(ISet<>),
    ];
}
