namespace UpdateAgent.Trust.Registry;

/// <summary>Media types of the OCI and Docker manifest formats, and of cosign's and sigstore's artifacts.</summary>
public static class MediaTypes
{
    /// <summary>OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>Docker manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker image manifest schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>OCI empty descriptor content (<c>{}</c>).</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>cosign's simple-signing payload layer.</summary>
    public const string SimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>Artifact (config) type of the simple-signing manifests cosign's OCI 1.1 mode attaches as referrers.</summary>
    public const string CosignSignatureArtifact = "application/vnd.dev.cosign.artifact.sig.v1+json";

    /// <summary>Sigstore bundle v0.3 (artifact type and layer type).</summary>
    public const string SigstoreBundleV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>Every manifest type this client can read, for the <c>Accept</c> header.</summary>
    public static readonly IReadOnlyList<string> AcceptedManifests = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    /// <summary>Whether <paramref name="mediaType"/> is an index or manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Whether <paramref name="mediaType"/> is an image manifest.</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
