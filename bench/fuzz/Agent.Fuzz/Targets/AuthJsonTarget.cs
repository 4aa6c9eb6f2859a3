using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A containers <c>auth.json</c>, then a lookup for a few repositories (never one whose login comes
/// from a credential helper: that would run a program). Handled: <see cref="FormatException"/>
/// (documented on Parse).
/// </summary>
internal static class AuthJsonTarget
{
    public static FuzzTarget Target { get; } = new("auth-json", "FormatException", Run);

    private static readonly (string Registry, string Repository)[] Lookups =
        [("docker.io", "library/nginx"), ("registry.test", "acme/app"), ("quay.io", "a/b/c")];

    private static void Run(byte[] input)
    {
        AuthFile file;
        try
        {
            file = AuthFile.Parse(input, "fuzz/auth.json");
        }
        catch (FormatException)
        {
            return;
        }
        foreach (var (registry, repository) in Lookups)
        {
            if (!file.Helpers.ContainsKey(registry))
            {
                file.Find(registry, repository);
            }
        }
    }
}
