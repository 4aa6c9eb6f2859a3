using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using UpdateAgent.Podman.Libpod;
using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Podman.Transport;

/// <summary>
/// Runs one Podman call with a deadline, retries it once on a fresh connection when the connection
/// was refused or closed (the socket-activated service exits when idle), and turns every failure into
/// a <see cref="PodmanException"/> that names what the call was about.
/// </summary>
internal sealed class CallPolicy(ReconnectingHandler pool, string socketPath, TimeProvider time, ILogger logger)
{
    public async Task<T> RunAsync<T>(string action, string subject, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(linked.Token).ConfigureAwait(false);
            }
            catch (Exception failure) when (attempt == 1 && IsConnectionFailure(failure) && !linked.IsCancellationRequested)
            {
                PodmanLog.Reconnecting(logger, action, subject, failure.Message);
                pool.Reconnect();
            }
            catch (Exception failure) when (Translate(failure, action, subject, timeout, deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested) is { } translated)
            {
                throw translated;
            }
        }
    }

    public Task RunAsync(string action, string subject, TimeSpan timeout, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(action, subject, timeout, async token =>
        {
            await call(token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// A failure of the connection rather than an answer from podman. A response body cut short is one too:
    /// the service may exit between sending the headers and the end of the body.
    /// </summary>
    private static bool IsConnectionFailure(Exception failure) => failure switch
    {
        HttpRequestException { StatusCode: null } => true,
        ResponseTooLargeException => false,
        IOException => true,
        _ => false,
    };

    /// <summary>The exception to throw instead, or <see langword="null"/> to let <paramref name="failure"/> through.</summary>
    private PodmanException? Translate(Exception failure, string action, string subject, TimeSpan timeout, bool timedOut)
    {
        var what = $"{action} '{subject}'";
        return failure switch
        {
            PodmanException => null,
            OperationCanceledException when timedOut =>
                new PodmanException(subject, $"{what}: podman did not finish within {timeout.TotalSeconds:0.#} s", null, failure),
            OperationCanceledException => null,
            DockerApiException api => FromStatus(subject, what, api.StatusCode, api.ResponseBody ?? "", failure),
            LibpodStatusException api => FromStatus(subject, what, api.StatusCode, api.Body, failure),
            ResponseTooLargeException or InvalidDataException => new PodmanException(subject, $"{what}: {failure.Message}", null, failure),
            JsonException => new PodmanException(subject, $"{what}: podman's answer is not the JSON expected: {failure.Message}", null, failure),
            HttpRequestException or IOException =>
                new PodmanException(subject, $"{what}: cannot talk to podman at {socketPath}: {failure.Message}", null, failure),
            _ => null,
        };
    }

    private static PodmanException FromStatus(string subject, string what, HttpStatusCode status, string body, Exception failure)
    {
        var message = $"{what}: podman answered {(int)status}: {ApiErrorText.From(body)}";
        return status == HttpStatusCode.NotFound
            ? new PodmanNotFoundException(subject, message, failure)
            : new PodmanException(subject, message, status, failure);
    }
}
