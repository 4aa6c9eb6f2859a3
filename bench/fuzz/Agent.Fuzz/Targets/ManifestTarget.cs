using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// An image manifest, index or referrers list as a registry serves it, read as the registry client
/// reads every manifest, then an index's platform pick. Handled: <see cref="RegistryException"/>
/// (the client's one failure type; a malformed body is <see cref="RegistryFailure.Malformed"/>).
/// </summary>
internal static class ManifestTarget
{
    private static readonly ImagePlatform[] Platforms = [new("linux", "amd64", null), new("linux", "arm64", "v8"), new("linux", "arm", "v7")];

    public static FuzzTarget Target { get; } = FuzzTarget.Catching<RegistryException>("manifest", Run);

    private static void Run(byte[] input)
    {
        var parsed = RegistryClient.ParseManifest(input, "fuzz");
        foreach (var platform in Platforms)
        {
            PlatformSelector.Select(parsed, platform);
        }
    }
}
