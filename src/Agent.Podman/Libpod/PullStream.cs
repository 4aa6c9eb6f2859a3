using System.Text.Json;
using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Podman.Libpod;

/// <summary>
/// Decides a libpod pull from its whole stream: podman answers 200 before it knows the outcome, so an
/// <c>error</c> object anywhere fails the pull, and success needs the pulled image's ID.
/// </summary>
internal static class PullStream
{
    public static async Task<string> ReadImageIdAsync(Stream body, string reference, int maxLineBytes, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        string? imageId = null;
        var lineNumber = 0;
        await foreach (var line in JsonLines.ReadAsync(body, maxLineBytes, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            PullReport? report;
            try
            {
                report = JsonSerializer.Deserialize(line.Span, LibpodJsonContext.Default.PullReport);
            }
            catch (JsonException malformed)
            {
                throw new PodmanException(reference,
                    $"pull '{reference}': line {lineNumber} of podman's pull stream is not JSON: {malformed.Message}", null, malformed);
            }
            if (report is null)
            {
                continue;
            }
            if (!string.IsNullOrWhiteSpace(report.Error))
            {
                errors.Add(report.Error.Trim());
            }
            if (!string.IsNullOrEmpty(report.Id))
            {
                imageId = report.Id;
            }
            else if (report.Images is [var first, ..] && !string.IsNullOrEmpty(first))
            {
                imageId = first;
            }
        }
        if (errors.Count > 0)
        {
            throw new PodmanException(reference, $"pull '{reference}' failed: {string.Join("; ", errors)}");
        }
        return imageId is null
            ? throw new PodmanException(reference, $"pull '{reference}': podman's pull stream ended without naming the pulled image")
            : ImageIds.Normalize(imageId);
    }
}
