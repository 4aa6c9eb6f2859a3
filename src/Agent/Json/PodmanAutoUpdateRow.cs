using System.Text.Json.Serialization;

namespace UpdateAgent.Json;

/// <summary>
/// One row of <c>check --format podman</c>: the object <c>podman auto-update --format json</c>
/// prints for one container, with podman's key names, followed by two keys podman does not have
/// (<c>Status</c>, <c>Detail</c>) so a script that knows update-agent can read its exact word.
/// Scripts written for podman read the first seven keys and ignore the rest.
/// </summary>
/// <param name="Unit">The systemd unit.</param>
/// <param name="Container">The short container ID and name, as podman writes it: <c>0123456789ab (name)</c>.</param>
/// <param name="ContainerName">The container's name.</param>
/// <param name="ContainerId">The container's full ID.</param>
/// <param name="Image">The reference the container was created from.</param>
/// <param name="Policy"><c>registry</c> or <c>local</c>.</param>
/// <param name="Updated">podman's word: <c>true</c>, <c>false</c>, <c>pending</c>, <c>failed</c> or <c>rolled back</c>.</param>
/// <param name="Status">update-agent's own status word for the unit.</param>
/// <param name="Detail">update-agent's reason.</param>
internal sealed record PodmanAutoUpdateRow(
    [property: JsonPropertyName("Unit")] string Unit,
    [property: JsonPropertyName("Container")] string Container,
    [property: JsonPropertyName("ContainerName")] string ContainerName,
    [property: JsonPropertyName("ContainerID")] string ContainerId,
    [property: JsonPropertyName("Image")] string Image,
    [property: JsonPropertyName("Policy")] string Policy,
    [property: JsonPropertyName("Updated")] string Updated,
    [property: JsonPropertyName("Status")] string Status,
    [property: JsonPropertyName("Detail")] string Detail);

/// <summary>Source-generated JSON for <c>check --format podman</c>, indented by four spaces as podman indents.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, IndentSize = 4, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<PodmanAutoUpdateRow>))]
internal sealed partial class PodmanJsonContext : JsonSerializerContext;
