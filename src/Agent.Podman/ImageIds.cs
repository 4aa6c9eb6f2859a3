namespace UpdateAgent.Podman;

/// <summary>Image IDs in one form: libpod omits the <c>sha256:</c> prefix the compat API shows.</summary>
internal static class ImageIds
{
    private const string Prefix = "sha256:";

    public static string Normalize(string id) =>
        id.StartsWith(Prefix, StringComparison.Ordinal) || id.Length == 0 ? id : Prefix + id;
}
