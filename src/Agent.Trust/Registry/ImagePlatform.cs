using System.Runtime.InteropServices;

namespace UpdateAgent.Trust.Registry;

/// <summary>An OCI platform (<c>os</c>/<c>architecture</c>/<c>variant</c>) in Go's spelling.</summary>
/// <param name="Os">Operating system, e.g. <c>linux</c>.</param>
/// <param name="Architecture">GOARCH, e.g. <c>amd64</c>.</param>
/// <param name="Variant">CPU variant, e.g. <c>v8</c>, or null.</param>
public sealed record ImagePlatform(string Os, string Architecture, string? Variant)
{
    /// <summary>The platform of the machine this runs on.</summary>
    public static ImagePlatform Host { get; } = new("linux", RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    }, RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "v8",
        System.Runtime.InteropServices.Architecture.Arm => "v7",
        _ => null,
    });

    /// <inheritdoc />
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
