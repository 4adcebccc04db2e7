using System.Globalization;
using System.Text;

namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>
/// Low-level pieces of the Prometheus text exposition format 0.0.4: escaping and number
/// formatting. See https://prometheus.io/docs/instrumenting/exposition_formats/.
/// </summary>
internal static class PrometheusTextFormat
{
    /// <summary>The Content-Type of a 0.0.4 exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Appends a label value: backslash, double quote and line feed are escaped.</summary>
    public static void AppendLabelValue(StringBuilder sb, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }
    }

    /// <summary>Appends HELP text: backslash and line feed are escaped (quotes are not, per the format).</summary>
    public static void AppendHelp(StringBuilder sb, string text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': break;
                default: sb.Append(c); break;
            }
        }
    }

    /// <summary>Appends a float as Go's ParseFloat reads it: NaN, +Inf, -Inf, shortest round-trip otherwise.</summary>
    public static void AppendDouble(StringBuilder sb, double value)
    {
        if (double.IsNaN(value))
        {
            sb.Append("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            sb.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            sb.Append("-Inf");
        }
        else
        {
            Span<char> buffer = stackalloc char[32];
            if (value.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture))
            {
                for (int i = 0; i < written; i++)
                {
                    // .NET writes 1E-05; Prometheus (and Go) accept both, but lower case matches client_golang.
                    sb.Append(buffer[i] == 'E' ? 'e' : buffer[i]);
                }
            }
            else
            {
                sb.Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Appends an integer sample value.</summary>
    public static void AppendLong(StringBuilder sb, long value) => sb.Append(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Formats a tag value object as a label value string.</summary>
    public static string TagValueToString(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
