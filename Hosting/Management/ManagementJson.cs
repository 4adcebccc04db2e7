using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Replicator.Hosting.Management;

/// <summary>The JSON conventions of the management API and of <c>--json</c> CLI output, shared by server and client.</summary>
public static class ManagementJson
{
    private static readonly ManagementJsonTypes Types = new();

    /// <summary>
    /// camelCase names, nulls omitted, indented (humans read <c>--json</c> too). The types come from
    /// source-generated contexts (<see cref="AddTypes"/>), so the Native AOT build needs no reflection.
    /// No enum is part of the API; one that becomes part needs <c>[JsonConverter(typeof(JsonStringEnumConverter&lt;T&gt;))]</c>.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the conventions to <paramref name="options"/> (used for the server's HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        options.WriteIndented = true;
        options.TypeInfoResolver = Types;
        return options;
    }

    /// <summary>Adds a daemon's source-generated context (its management types); call before the first request.</summary>
    public static void AddTypes(IJsonTypeInfoResolver resolver) => Types.Add(resolver);

    /// <summary>The metadata of <typeparamref name="T"/> under <see cref="Options"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
