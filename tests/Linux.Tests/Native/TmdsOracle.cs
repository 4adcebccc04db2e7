using System.Reflection;
using System.Runtime.InteropServices;

namespace Replicator.Linux.Tests.Native;

/// <summary>
/// Reads Tmds.LibC's definitions by their C names, so our declarations are checked against an
/// independent binding instead of numbers typed into the tests. Tmds.LibC is a test dependency only.
/// </summary>
internal static class TmdsOracle
{
    private static readonly Type LibC = typeof(Tmds.Linux.LibC);

    /// <summary>Offset of a C field in <paramref name="type"/>, whether Tmds.LibC declares it as a field, an auto-property or a wrapped <c>_name</c>.</summary>
    public static int OffsetOf(Type type, string cName)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        string[] candidates = [cName, $"<{cName}>k__BackingField", $"_{cName}", $"__{cName}"];
        foreach (string name in candidates)
        {
            if (type.GetField(name, Instance) is not null) return (int)Marshal.OffsetOf(type, name);
        }
        throw new ArgumentException($"Tmds.LibC's {type.Name} has no field {cName}", nameof(cName));
    }

    /// <summary>Our field names (C names) of a blittable struct, in declaration order.</summary>
    public static IEnumerable<string> FieldNames(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public).Select(f => f.Name);

    /// <summary>The value of a Tmds.LibC constant, or null when Tmds.LibC does not define it.</summary>
    public static long? Constant(string name)
    {
        object? value = LibC.GetProperty(name, BindingFlags.Static | BindingFlags.Public)?.GetValue(null)
            ?? LibC.GetField(name, BindingFlags.Static | BindingFlags.Public)?.GetValue(null);
        return value is null ? null : Unwrap(value);
    }

    // Tmds.LibC wraps C typedefs (sa_family_t, size_t) in one-field structs.
    private static long Unwrap(object value)
    {
        while (!value.GetType().IsPrimitive)
        {
            FieldInfo inner = value.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Single();
            value = inner.GetValue(value)!;
        }
        return Convert.ToInt64(value);
    }
}
