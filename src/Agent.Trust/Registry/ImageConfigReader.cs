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
        var configCreated = ImageConfigFacts.StatedTime(config?.Created);
        var created = ImageConfigFacts.StatedTime(labels.GetValueOrDefault(ImageConfigFacts.CreatedLabel)) ?? configCreated;
        return new ImageConfigFacts(digest, created, labels) { ConfigCreated = configCreated };
    }
}
