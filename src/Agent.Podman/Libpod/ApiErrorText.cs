using System.Text.Json;

namespace UpdateAgent.Podman.Libpod;

/// <summary>Turns an error body into the one line worth showing.</summary>
internal static class ApiErrorText
{
    private const int MaxLength = 500;

    public static string From(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no message)";
        }
        try
        {
            if (JsonSerializer.Deserialize(body, LibpodJsonContext.Default.ApiError) is { Message: { Length: > 0 } message })
            {
                return Shorten(message);
            }
        }
        catch (JsonException)
        {
            // Not podman's JSON error shape: show the body itself.
        }
        return Shorten(body.Trim());
    }

    private static string Shorten(string text) => text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
}
