using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>Checks every <see cref="EvpnOptions"/> key and reports all problems at once, each naming key and value.</summary>
internal sealed class EvpnOptionsValidator : IValidateOptions<EvpnOptions>
{
    private const string S = EvpnOptions.SectionName;

    /// <summary>Longest grace: a day. Longer would keep a vanished fabric's VTEPs for no reason.</summary>
    public static readonly TimeSpan MaxGraceTime = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, EvpnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!EvpnValueFormat.TryParse(options.RouteDistinguisher, routeDistinguisher: true, out _, out string error))
            errors.Add($"{S}:RouteDistinguisher = '{options.RouteDistinguisher}': {error}");
        if (!EvpnValueFormat.TryParse(options.RouteTarget, routeDistinguisher: false, out _, out error))
            errors.Add($"{S}:RouteTarget = '{options.RouteTarget}': {error}");
        if (options.ImportRouteTargets is null || options.ImportRouteTargets.Count == 0)
            errors.Add($"{S}:ImportRouteTargets: must list at least one route target ('*' imports every route)");
        else
        {
            for (int i = 0; i < options.ImportRouteTargets.Count; i++)
            {
                string text = options.ImportRouteTargets[i];
                if (EvpnImportFilter.IsAny(text)) continue;
                if (!EvpnValueFormat.TryParse(text, routeDistinguisher: false, out _, out error))
                    errors.Add($"{S}:ImportRouteTargets:{i} = '{text}': {error}");
            }
        }
        if (options.GraceTime < TimeSpan.Zero || options.GraceTime > MaxGraceTime)
            errors.Add($"{S}:GraceTime = '{options.GraceTime}': must be between 00:00:00 and {MaxGraceTime}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
