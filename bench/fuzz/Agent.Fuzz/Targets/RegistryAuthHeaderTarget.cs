using System.Text;
using UpdateAgent.Podman.Libpod;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>An <c>X-Registry-Auth</c> header value in its map form. Handled: null for anything that is not one.</summary>
internal static class RegistryAuthHeaderTarget
{
    public static FuzzTarget Target { get; } = new("registry-auth-header", "none: null for a value that is not the map form", Run);

    private static void Run(byte[] input) => RegistryAuthHeader.Decode(Encoding.UTF8.GetString(input));
}
