using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Binds an options POCO property by property, so one unconvertible value does not hide the
/// others: the stock binder stops at the first failure, but start-up must report every bad key.
/// Durations are read with <see cref="DurationText"/>.
/// </summary>
public static class OptionsBinder
{
    /// <summary>Binds <paramref name="section"/> onto a new <typeparamref name="TOptions"/>; each value that does not convert adds one line to <paramref name="errors"/> and leaves that property at its default.</summary>
    public static TOptions Bind<TOptions>(IConfigurationSection section, ICollection<string> errors) where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(errors);
        var options = new TOptions();
        foreach (PropertyInfo property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.GetIndexParameters().Length > 0) continue;
            IConfigurationSection child = section.GetSection(property.Name);
            if (child.Value is null && !child.GetChildren().Any()) continue;
            if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(TimeSpan) && child.Value is not null)
            {
                // Our own duration syntax (DurationText), not TimeSpan's, where "90" means 90 days.
                if (DurationText.TryParse(child.Value, out var duration)) property.SetValue(options, duration);
                else errors.Add($"{child.Path} = '{child.Value}': not a valid {DurationText.Format}");
                continue;
            }
            try
            {
                object? value = child.Get(property.PropertyType);
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
