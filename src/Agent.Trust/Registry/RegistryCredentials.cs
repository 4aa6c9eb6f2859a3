namespace UpdateAgent.Trust.Registry;

/// <summary>A user name and password (or an identity token used as a refresh token) for one registry scope.</summary>
/// <param name="Username">User name.</param>
/// <param name="Password">Password or access token.</param>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>Never print the secret, even in a debugger or a log line.</summary>
    public override string ToString() => $"{Username}:***";
}

/// <summary>Finds the credentials for a repository.</summary>
public interface IRegistryCredentialStore
{
    /// <summary>Credentials for <paramref name="registry"/>/<paramref name="repository"/>, or null for anonymous access.</summary>
    RegistryCredentials? Find(string registry, string repository);
}
