using System.Text;

namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>
/// Maps OpenTelemetry instrument names, units and tag keys onto Prometheus names, following the
/// OpenTelemetry "Prometheus and OpenMetrics compatibility" rules: invalid characters become
/// <c>_</c>, UCUM units become base-unit words (<c>s</c> -> <c>seconds</c>, <c>By</c> -> <c>bytes</c>),
/// <c>{annotation}</c> units are dropped, counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    /// <summary>Builds the family name: sanitised name, unit suffix, then <c>_total</c> for counters.</summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusMetricKind kind)
    {
        string name = Sanitize(instrumentName);
        bool counter = kind == PrometheusMetricKind.Counter;
        if (counter && name.EndsWith("_total", StringComparison.Ordinal) && name.Length > "_total".Length)
        {
            // Re-appended after the unit, so "x.total" with unit s becomes x_seconds_total.
            name = name[..^"_total".Length];
        }

        string unitSuffix = UnitSuffix(unit);
        if (unitSuffix.Length > 0 && !name.EndsWith("_" + unitSuffix, StringComparison.Ordinal) && name != unitSuffix)
        {
            name = name + "_" + unitSuffix;
        }

        return counter ? name + "_total" : name;
    }

    /// <summary>Sanitises a tag key into a label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>).</summary>
    public static string LabelName(string key) => Sanitize(key);

    /// <summary>
    /// The Prometheus word for a UCUM unit, or "" when the unit adds nothing to the name
    /// (empty, a pure <c>{annotation}</c>, or dimensionless <c>1</c>).
    /// </summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        string stripped = StripAnnotations(unit).Trim();
        if (stripped.Length == 0)
        {
            return "";
        }

        if (stripped == "1")
        {
            // The OpenTelemetry spec turns a dimensionless gauge into x_ratio; we drop it instead so
            // that 0/1 state gauges keep the names operators expect (vxrd_servicenode_reachable).
            return "";
        }

        int slash = stripped.IndexOf('/');
        if (slash >= 0)
        {
            string numerator = stripped[..slash].Trim();
            string denominator = stripped[(slash + 1)..].Trim();
            string top = numerator.Length == 0 || numerator == "1" ? "" : Sanitize(MapUnit(numerator));
            string bottom = denominator.Length == 0 ? "" : Sanitize(MapPerUnit(denominator));
            if (bottom.Length == 0)
            {
                return top;
            }

            return top.Length == 0 ? "per_" + bottom : top + "_per_" + bottom;
        }

        return Sanitize(MapUnit(stripped));
    }

    /// <summary>Removes every <c>{...}</c> annotation, which UCUM uses for counted things ("{datagram}").</summary>
    internal static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{'))
        {
            return unit;
        }

        var sb = new StringBuilder(unit.Length);
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string MapUnit(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "TiBy" => "tebibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "TBy" => "terabytes",
        "bit" => "bits",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "%" => "percent",
        _ => unit,
    };

    private static string MapPerUnit(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => MapUnit(unit),
    };

    /// <summary>
    /// Replaces characters outside <c>[a-zA-Z0-9_]</c> (dots, dashes, and colons, which Prometheus
    /// reserves for recording rules) by <c>_</c>, collapses runs of <c>_</c>, and prefixes a
    /// leading digit with <c>_</c>.
    /// </summary>
    internal static string Sanitize(string value)
    {
        if (value.Length == 0)
        {
            return "_";
        }

        var sb = new StringBuilder(value.Length + 1);
        if (char.IsAsciiDigit(value[0]))
        {
            sb.Append('_');
        }

        foreach (char c in value)
        {
            bool valid = char.IsAsciiLetterOrDigit(c) || c == '_';
            char next = valid ? c : '_';
            if (next == '_' && sb.Length > 0 && sb[^1] == '_')
            {
                continue;
            }

            sb.Append(next);
        }

        return sb.ToString();
    }
}
