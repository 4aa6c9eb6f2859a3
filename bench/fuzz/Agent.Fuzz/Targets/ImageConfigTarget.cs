using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// An image config blob (its labels and creation time feed the age and label checks).
/// Handled: <see cref="RegistryException"/>.
/// </summary>
internal static class ImageConfigTarget
{
    private static readonly string Digest = "sha256:" + new string('0', 64);

    public static FuzzTarget Target { get; } =
        FuzzTarget.Catching<RegistryException>("image-config", input => ImageConfigReader.Read(Digest, input));
}
