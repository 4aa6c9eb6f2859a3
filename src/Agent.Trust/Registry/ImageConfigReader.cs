using System.Globalization;
using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>Turns an image config blob into <see cref="ImageConfigFacts"/>.</summary>
internal static class ImageConfigReader
{
    public static ImageConfigFacts Read(string digest, byte[] bytes)
    {
        OciImageConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, TrustJsonContext.Default.OciImageConfig);
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryFailure.Malformed, $"config {digest}: not valid JSON ({ex.Message})", ex);
        }
        var labels = config?.Config?.Labels ?? new Dictionary<string, string>(StringComparer.Ordinal);
        if (labels.FirstOrDefault(l => l.Value is null).Key is { } nullLabel)
        {
            throw new RegistryException(RegistryFailure.Malformed, $"config {digest}: label \"{nullLabel}\" is null, not a string");
        }
        // The label is what the build system states on purpose; the config time is whatever the builder's clock said.
        var created = ParseTime(labels.GetValueOrDefault(ImageConfigFacts.CreatedLabel)) ?? ParseTime(config?.Created);
        return new ImageConfigFacts(digest, created, labels);
    }

    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
}
