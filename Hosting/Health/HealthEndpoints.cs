using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Health;

/// <summary>
/// The two probe responses, plain text so that <c>curl</c> output reads well:
/// <c>/healthz</c> answers 200 "ok" while the process serves HTTP (liveness);
/// <c>/readyz</c> answers 200 "ready" when every <see cref="ReadinessState"/> condition is met,
/// else 503 with one "unmet: NAME" line per missing condition, and 503 "stopping" once
/// shutdown has begun.
/// </summary>
public static class HealthEndpoints
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";

    private const string TextContentType = "text/plain; charset=utf-8";

    public static Task WriteHealthAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        return WriteTextAsync(context, "ok\n");
    }

    public static Task WriteReadinessAsync(HttpContext context, ReadinessState readiness, IHostApplicationLifetime? lifetime)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        if (lifetime is not null && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return WriteTextAsync(context, "stopping\n");
        }

        var (ready, body) = Describe(readiness);
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return WriteTextAsync(context, body);
    }

    /// <summary>The readiness verdict and the body <c>/readyz</c> returns for it.</summary>
    public static (bool Ready, string Body) Describe(ReadinessState readiness)
    {
        var unmet = readiness.UnmetConditions();
        if (unmet.Count == 0)
        {
            return (true, "ready\n");
        }

        var sb = new StringBuilder("not ready\n");
        foreach (string name in unmet)
        {
            sb.Append("unmet: ").Append(name).Append('\n');
        }

        return (false, sb.ToString());
    }

    private static Task WriteTextAsync(HttpContext context, string body)
    {
        context.Response.ContentType = TextContentType;
        context.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        return context.Response.WriteAsync(body, Encoding.UTF8);
    }
}
