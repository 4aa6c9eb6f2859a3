using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// OCI distribution client over an injected <see cref="HttpClient"/>: TLS unless the registry is
/// listed as insecure, bearer/basic authentication, a deadline per operation, bounded bodies,
/// digests computed from the received bytes. Counts every request it sends; a view made with
/// <see cref="WithBudget"/> also charges each request and body byte to one verification's budget.
/// </summary>
public sealed partial class RegistryClient : IRegistryClient
{
    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RegistryAuthenticator _authenticator;
    private readonly ManifestCache _manifests;
    private readonly StrongBox<long> _requests;
    private readonly RegistryBudget? _budget;

    /// <summary>Creates a client; <paramref name="http"/> should follow redirects (blobs are often served from elsewhere).</summary>
    public RegistryClient(HttpClient http, RegistryClientOptions options, TimeProvider? time = null, ILogger<RegistryClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _authenticator = new RegistryAuthenticator(options, _time);
        _manifests = new ManifestCache();
        _requests = new StrongBox<long>();
    }

    /// <summary>A view of <paramref name="shared"/> (same connections, tokens, cache and request count) that charges <paramref name="budget"/>.</summary>
    private RegistryClient(RegistryClient shared, RegistryBudget budget)
    {
        _http = shared._http;
        _options = shared._options;
        _time = shared._time;
        _logger = shared._logger;
        _authenticator = shared._authenticator;
        _manifests = shared._manifests;
        _requests = shared._requests;
        _budget = budget;
    }

    /// <inheritdoc />
    public long RequestCount => Interlocked.Read(ref _requests.Value);

    /// <inheritdoc />
    public IRegistryClient WithBudget(RegistryBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new RegistryClient(this, budget);
    }

    /// <summary>Base URL of the distribution API for <paramref name="image"/>'s registry.</summary>
    internal Uri ApiBase(ImageReference image) =>
        new($"{(_options.InsecureRegistries.Contains(image.Registry) ? "http" : "https")}://{image.ApiHost}/v2/");

    internal Uri RepositoryUri(ImageReference image, string suffix) => new(ApiBase(image), $"{image.Repository}/{suffix}");

    /// <summary>
    /// Runs one registry operation under the configured deadline and turns transport failures into
    /// <see cref="RegistryException"/>s, so callers see exactly one exception type.
    /// </summary>
    internal async Task<T> GuardAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        _budget?.ThrowIfExhausted(what);
        using var deadline = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _budget?.Expiry ?? CancellationToken.None);
        try
        {
            return await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && _budget is { Expiry.IsCancellationRequested: true })
        {
            throw _budget.Expired(what, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(RegistryFailure.Timeout, $"{what}: no answer within {_options.RequestTimeout.TotalSeconds:0.###} s", ex);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            throw new RegistryException(RegistryFailure.Unreachable, $"{what}: {Describe(ex)}", ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ResponseEnded)
        {
            throw new RegistryException(RegistryFailure.Truncated, $"{what}: {Describe(ex)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(RegistryFailure.Unreachable, $"{what}: {Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// The failure with its causes: "An error occurred while sending the request" alone does not
    /// tell an operator that the registry reset the connection.
    /// </summary>
    internal static string Describe(Exception failure)
    {
        var messages = new List<string>();
        for (var e = failure; e is not null && messages.Count < 4; e = e.InnerException)
        {
            var message = e.Message.TrimEnd('.');
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }
        return string.Join(": ", messages);
    }

    /// <summary>
    /// Sends a request built by <paramref name="build"/>, answering one authentication challenge
    /// with a token or credentials. The caller owns the returned response.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, ImageReference repository, string actions, CancellationToken cancellationToken)
    {
        var request = build();
        request.Headers.Authorization = _authenticator.Cached(repository, actions);
        var response = await SendCountedAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        AuthenticationHeaderValue header;
        using (response)
        {
            header = await _authenticator.AnswerAsync(response, repository, actions, SendCountedAsync, _budget, cancellationToken).ConfigureAwait(false);
        }
        var retry = build();
        retry.Headers.Authorization = header;
        return await SendCountedAsync(retry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every request of this client goes through here: counted, charged to the budget, logged.</summary>
    private async Task<HttpResponseMessage> SendCountedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            _budget?.ChargeRequest($"{request.Method} {request.RequestUri}");
            Interlocked.Increment(ref _requests.Value);
            LogRequest(_logger, request.Method, request.RequestUri);
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Throws the failure an unsuccessful status stands for.</summary>
    internal static RegistryException StatusFailure(HttpResponseMessage response, string what) => response.StatusCode switch
    {
        HttpStatusCode.NotFound => new RegistryException(RegistryFailure.NotFound, $"{what}: not found (404)"),
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryException(RegistryFailure.Unauthorized, $"{what}: access denied ({(int)response.StatusCode})"),
        HttpStatusCode.TooManyRequests => new RegistryException(RegistryFailure.ServerError, $"{what}: throttled by the registry (429)"),
        >= HttpStatusCode.InternalServerError => new RegistryException(RegistryFailure.ServerError, $"{what}: the registry failed ({(int)response.StatusCode})"),
        _ => new RegistryException(RegistryFailure.Malformed, $"{what}: unexpected answer {(int)response.StatusCode}"),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "registry: {Method} {Uri}")]
    private static partial void LogRequest(ILogger logger, HttpMethod method, Uri? uri);
}
