using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpdateAgent.Podman.Streams;
using UpdateAgent.Podman.Transport;

namespace UpdateAgent.Podman.Libpod;

/// <summary>
/// The few calls Docker.DotNet cannot make: Podman's own <c>/libpod</c> endpoints, and starting an exec
/// with its output read as a plain body (Docker.DotNet would hijack the connection for that).
/// </summary>
internal sealed class LibpodApi(HttpClient http, PodmanClientOptions options)
{
    /// <summary>Libpod routes need a version prefix; any valid one is accepted, 4.0.0 is the oldest we support.</summary>
    private const string Prefix = "v4.0.0/libpod/";

    /// <summary>A pull's stream is long but made of short lines, each bounded on its own.</summary>
    private const long PullStreamLimit = 1024L * 1024 * 1024;

    public async Task<List<LibpodContainer>> ListRunningContainersAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, Prefix + "containers/json", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, LibpodJsonContext.Default.ListLibpodContainer, cancellationToken).ConfigureAwait(false) ?? [];
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{Prefix}images/{Escape(image)}/exists", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Runs the health check; a 409 (no health check, or not running) comes back as its message, not an error.</summary>
    public async Task<(HealthReport? Report, string? Conflict)> RunHealthCheckAsync(string container, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{Prefix}containers/{Escape(container)}/healthcheck", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return (null, ApiErrorText.From(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)));
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var report = await ReadJsonAsync(response, LibpodJsonContext.Default.HealthReport, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("the health check report is empty");
        return (report, null);
    }

    /// <summary>
    /// Pulls <paramref name="reference"/> and returns the image ID, reading the stream to its end; with
    /// <paramref name="access"/>, over exactly that TLS setting and with exactly those credentials.
    /// </summary>
    public async Task<string> PullAsync(string reference, PullAccess? access, CancellationToken cancellationToken)
    {
        // "missing": a digest names immutable content, so an image already present by it needs no download.
        var path = $"{Prefix}images/pull?reference={Uri.EscapeDataString(reference)}&policy=missing";
        var headers = new List<KeyValuePair<string, string>>();
        if (access is not null)
        {
            if (access.TlsVerify is { } verify)
            {
                path += verify ? "&tlsVerify=true" : "&tlsVerify=false";
            }
            if (RegistryAuthHeader.Encode(access) is { } auth)
            {
                headers.Add(new(RegistryAuthHeader.Name, auth));
            }
        }
        using var response = await SendAsync(HttpMethod.Post, path, null, cancellationToken, PullStreamLimit, headers).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await PullStream.ReadImageIdAsync(body, reference, options.MaxStreamLineBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task UntagAsync(string image, string repository, string tag, CancellationToken cancellationToken)
    {
        var path = $"{Prefix}images/{Escape(image)}/untag?repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}";
        using var response = await SendAsync(HttpMethod.Post, path, null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a created exec attached and reads its multiplexed output until the command ends.</summary>
    public async Task<(string Text, bool Truncated)> StartExecAsync(string execId, CancellationToken cancellationToken)
    {
        var content = JsonContent.Create(new ExecStartRequest { Detach = false, Tty = false }, LibpodJsonContext.Default.ExecStartRequest);
        using var response = await SendAsync(HttpMethod.Post, $"exec/{Escape(execId)}/start", content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await ExecOutput.ReadAsync(body, options.MaxExecOutputBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, long? responseLimit = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (responseLimit is { } limit)
        {
            request.Options.Set(BoundedResponseHandler.LimitOption, limit);
        }
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new LibpodStatusException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);
}
