using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Answers registry challenges: fetches and caches bearer tokens (anonymous or with
/// credentials) per repository and action set, or sends basic credentials.
/// </summary>
internal sealed class RegistryAuthenticator(RegistryClientOptions options, TimeProvider time)
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (AuthenticationHeaderValue Header, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>A still-valid header from an earlier challenge for this repository and actions.</summary>
    public AuthenticationHeaderValue? Cached(ImageReference repository, string actions) =>
        _cache.TryGetValue(Key(repository, actions), out var entry) && entry.Expires > time.GetUtcNow() ? entry.Header : null;

    /// <summary>Answers the challenge of a 401 response; returns the header to retry with.</summary>
    /// <param name="unauthorized">The 401 response.</param>
    /// <param name="repository">The repository the request was for.</param>
    /// <param name="actions">The scope's actions, e.g. <c>pull</c>.</param>
    /// <param name="send">Sends the token request the way the client sends every request (counted, charged to its budget).</param>
    /// <param name="budget">The budget the token answer's bytes are charged to, if any.</param>
    /// <param name="cancellationToken">Cancels the token request.</param>
    public async Task<AuthenticationHeaderValue> AnswerAsync(HttpResponseMessage unauthorized, ImageReference repository, string actions,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, RegistryBudget? budget, CancellationToken cancellationToken)
    {
        var challenge = AuthChallenge.From(unauthorized.Headers)
            ?? throw new RegistryException(RegistryFailure.Unauthorized, $"{repository.Name}: the registry asks for authentication without a Bearer or Basic challenge");
        var credentials = options.Credentials?.Find(repository.Registry, repository.Repository);
        AuthenticationHeaderValue header;
        DateTimeOffset expires;
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credentials is null)
            {
                throw new RegistryException(RegistryFailure.Unauthorized, $"{repository.Name}: the registry wants basic authentication and no credentials are configured for it");
            }
            header = new AuthenticationHeaderValue("Basic", BasicValue(credentials));
            expires = DateTimeOffset.MaxValue;
        }
        else
        {
            (header, expires) = await FetchTokenAsync(challenge, repository, actions, credentials, send, budget, cancellationToken).ConfigureAwait(false);
        }
        _cache[Key(repository, actions)] = (header, expires);
        return header;
    }

    private async Task<(AuthenticationHeaderValue, DateTimeOffset)> FetchTokenAsync(
        AuthChallenge challenge, ImageReference repository, string actions, RegistryCredentials? credentials,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, RegistryBudget? budget, CancellationToken cancellationToken)
    {
        if (!challenge.Parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri)
            || (realmUri.Scheme != Uri.UriSchemeHttps && realmUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new RegistryException(RegistryFailure.Malformed, $"{repository.Name}: the bearer challenge has no usable realm");
        }
        TokenRealm.Check(realmUri, repository, credentials is not null, options);
        var query = new StringBuilder(realmUri.Query.Length > 1 ? realmUri.Query[1..] + "&" : string.Empty);
        if (challenge.Parameters.TryGetValue("service", out var service))
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }
        query.Append("scope=").Append(Uri.EscapeDataString($"repository:{repository.Repository}:{actions}"));
        var tokenUri = new UriBuilder(realmUri) { Query = query.ToString() }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicValue(credentials));
        }
        using var response = await send(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, $"{repository.Name}: the token service refused the {(credentials is null ? "anonymous request" : "credentials")} ({(int)response.StatusCode})");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryException(RegistryFailure.ServerError, $"{repository.Name}: the token service answered {(int)response.StatusCode}");
        }
        var body = await BoundedBody.ReadAsync(response, options.MaxTokenBytes, "token", budget, cancellationToken).ConfigureAwait(false);
        TokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, TrustJsonContext.Default.TokenResponse);
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryFailure.Malformed, $"{repository.Name}: the token answer is not JSON", ex);
        }
        var value = token?.Token ?? token?.AccessToken;
        if (string.IsNullOrEmpty(value))
        {
            throw new RegistryException(RegistryFailure.Malformed, $"{repository.Name}: the token answer holds no token");
        }
        var lifetime = TimeSpan.FromSeconds(Math.Max(token!.ExpiresIn ?? 60, 1));
        return (new AuthenticationHeaderValue("Bearer", value), time.GetUtcNow() + lifetime - ExpiryMargin);
    }

    private static string BasicValue(RegistryCredentials credentials) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));

    private static string Key(ImageReference repository, string actions) => $"{repository.Name}|{actions}";
}
