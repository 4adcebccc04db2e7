using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Binds an options POCO property by property, so one unconvertible value does not hide the
/// others: the stock binder stops at the first failure, but start-up must report every bad key.
/// Durations are read with <see cref="DurationText"/>; a value of the wrong shape (an array or object
/// where a single value belongs, null) is an error, see <see cref="ConfigurationValueShape"/>.
/// </summary>
public static class OptionsBinder
{
    /// <summary>Binds <paramref name="section"/> onto a new <typeparamref name="TOptions"/>; each value that does not convert adds one line to <paramref name="errors"/> and leaves that property at its default.</summary>
    public static TOptions Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfigurationSection section, ICollection<string> errors) where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(errors);
        var options = new TOptions();
        // The keys present, including those whose value is null (GetSection alone cannot tell null from absent).
        var present = new Dictionary<string, IConfigurationSection>(StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationSection c in section.GetChildren()) present.TryAdd(c.Key, c);
        foreach (PropertyInfo property in ConfigurationSectionKeys.BindableProperties(typeof(TOptions)))
        {
            if (!present.TryGetValue(property.Name, out IConfigurationSection? child)) continue;
            int before = errors.Count;
            foreach (string problem in ConfigurationValueShape.Problems(child, property.PropertyType)) errors.Add(problem);
            if (errors.Count > before) continue;
            if (child.Value is null && !child.GetChildren().Any()) continue;
            if (child.Value is { Length: 0 } && ConfigurationValueShape.ElementType(property.PropertyType) is { } element)
            {
                // "[]" arrives as "", which the stock binder reads as "no value": it means an empty list.
                if (EmptyList(property.PropertyType) is { } empty) property.SetValue(options, empty);
                continue;
            }
            if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(TimeSpan) && child.Value is not null)
            {
                // Our own duration syntax (DurationText), not TimeSpan's, where "90" means 90 days.
                if (DurationText.TryParse(child.Value, out var duration)) property.SetValue(options, duration);
                else errors.Add($"{child.Path} = '{child.Value}': not a valid {DurationText.Format}");
                continue;
            }
            try
            {
                object? value = Convert(child, property.PropertyType);
                if (value is not null) property.SetValue(options, value);
            }
            catch (InvalidOperationException)
            {
                errors.Add(child.Value is null
                    ? $"{child.Path}: cannot be read as {Describe(property.PropertyType)}"
                    : $"{child.Path} = '{child.Value}': not a valid {Describe(property.PropertyType)}");
            }
        }
        return options;
    }

    /// <summary>
    /// <see cref="Bind{TOptions}"/>, then every validator; the errors of both, one line each. The
    /// value is meant to be used only when there are none.
    /// </summary>
    public static TOptions BindAndValidate<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfigurationSection section, IEnumerable<IValidateOptions<TOptions>> validators, ICollection<string> errors)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(validators);
        TOptions value = Bind<TOptions>(section, errors);
        foreach (var validator in validators)
        {
            ValidateOptionsResult result = validator.Validate(Options.DefaultName, value);
            if (result.Failed)
            {
                foreach (string failure in result.Failures ?? [result.FailureMessage]) errors.Add(failure);
            }
        }
        return value;
    }

    /// <summary>
    /// <paramref name="child"/>'s value as <paramref name="type"/>, for each type our options use. The
    /// calls with a fixed type are bound by the configuration binding source generator (the reflection
    /// binder, <c>Get(Type)</c>, cannot be compiled ahead of time); like the binder, a value that does
    /// not convert throws <see cref="InvalidOperationException"/>.
    /// </summary>
    private static object? Convert(IConfigurationSection child, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return child.Value;
        if (type == typeof(bool)) return child.Get<bool>();
        if (type == typeof(int)) return child.Get<int>();
        if (type == typeof(long)) return child.Get<long>();
        if (type == typeof(uint)) return child.Get<uint>();
        if (type == typeof(ushort)) return child.Get<ushort>();
        if (type == typeof(double)) return child.Get<double>();
        if (type == typeof(List<string>)) return child.Get<List<string>>();
        if (type == typeof(string[])) return child.Get<string[]>();
        if (type.IsEnum)
        {
            return Enum.TryParse(type, child.Value, ignoreCase: true, out object? value)
                ? value
                : throw new InvalidOperationException($"Failed to convert configuration value '{child.Value}' at '{child.Path}' to type '{type}'.");
        }
        throw new NotSupportedException($"{child.Path}: OptionsBinder cannot bind a {type}; add the type to OptionsBinder.Convert");
    }

    /// <summary>An empty list of <paramref name="type"/> for "[]"; null for a type <see cref="Convert"/> does not bind.</summary>
    private static object? EmptyList(Type type) =>
        type == typeof(List<string>) ? new List<string>() : type == typeof(string[]) ? Array.Empty<string>() : null;

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(TimeSpan)) return DurationText.Format;
        if (type == typeof(bool)) return "boolean (true or false)";
        if (type.IsEnum) return $"value (one of: {string.Join(", ", Enum.GetNames(type))})";
        if (type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ushort))
            return string.Create(CultureInfo.InvariantCulture, $"integer ({type.Name})");
        return type.Name;
    }
}
