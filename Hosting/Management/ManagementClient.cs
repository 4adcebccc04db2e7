using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Replicator.Hosting.Management;

/// <summary>
/// HTTP client of a daemon's management API over its unix socket. Every failure becomes a
/// <see cref="ManagementClientException"/> whose message tells the operator what is wrong
/// (daemon not running, permission, the daemon's own error text).
/// </summary>
public sealed class ManagementClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _daemonName;

    public ManagementClient(string socketPath, string daemonName, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        ArgumentException.ThrowIfNullOrEmpty(daemonName);
        SocketPath = socketPath;
        _daemonName = daemonName;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            UseProxy = false,
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri("http://localhost/"),
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };
    }

    public string SocketPath { get; }

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, cancellationToken);

    /// <summary>Sends a request with an optional JSON body and reads the JSON answer.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync(ManagementJson.TypeInfo<T>(), cancellationToken)
                ?? throw new ManagementClientException($"{_daemonName} sent an empty answer", (int)response.StatusCode);
        }
        catch (JsonException ex)
        {
            throw new ManagementClientException($"{_daemonName} sent an answer that is not the expected JSON: {ex.Message}", (int)response.StatusCode, ex);
        }
    }

    /// <summary>Sends a request whose answer carries no needed body.</summary>
    public async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, ManagementJson.Options.GetTypeInfo(body.GetType()));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ManagementClientException($"{_daemonName} did not answer within {_http.Timeout.TotalSeconds:0} s on {SocketPath}", null, ex);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            string message = $"{_daemonName} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            try
            {
                var error = await response.Content.ReadFromJsonAsync(ManagementJson.TypeInfo<ManagementError>(), cancellationToken);
                if (!string.IsNullOrWhiteSpace(error?.Error)) message = error.Error;
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException)
            {
                // No error body in our shape: the status line is all we can say.
            }
            throw new ManagementClientException(message, (int)response.StatusCode);
        }
    }

    private ManagementClientException Unreachable(Exception ex)
    {
        var socketError = (ex as SocketException ?? ex.InnerException as SocketException)?.SocketErrorCode;
        string message = socketError switch
        {
            SocketError.AccessDenied => $"permission denied on {SocketPath} (run as root or as a member of its group)",
            SocketError.ConnectionRefused => $"{_daemonName} is not running (nothing listens on {SocketPath})",
            _ when !File.Exists(SocketPath) => $"{_daemonName} is not running (no management socket at {SocketPath})",
            _ => $"cannot reach {_daemonName} on {SocketPath}: {(ex.InnerException ?? ex).Message}",
        };
        return new ManagementClientException(message, null, ex);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
