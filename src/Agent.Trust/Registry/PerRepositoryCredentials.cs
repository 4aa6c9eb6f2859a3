using System.Collections.Concurrent;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Credentials with per-repository auth files on top of a default store: a repository given its own
/// auth file (podman's <c>io.containers.autoupdate.authfile</c> label) is read with that file only,
/// as <c>podman auto-update</c> passes it as the pull's <c>--authfile</c>; every other repository
/// uses the default. The table is replaced whole after each discovery, so a label removed from a
/// container stops counting at the next pass.
/// </summary>
/// <param name="fallback">Where credentials of repositories without their own auth file come from.</param>
public sealed class PerRepositoryCredentials(IRegistryCredentialStore fallback) : IRegistryCredentialStore
{
    private volatile IReadOnlyDictionary<string, string> _authFiles = new Dictionary<string, string>(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, AuthFile File)> _loaded = new(StringComparer.Ordinal);

    /// <summary>Sets the auth file of each repository (key <c>registry/repository</c>, as <see cref="ImageReference.Name"/> spells it).</summary>
    public void SetAuthFiles(IReadOnlyDictionary<string, string> authFilesByRepository)
    {
        ArgumentNullException.ThrowIfNull(authFilesByRepository);
        _authFiles = new Dictionary<string, string>(authFilesByRepository, StringComparer.Ordinal);
    }

    /// <summary>The auth file set for <paramref name="registry"/>/<paramref name="repository"/>, or null when it uses the default.</summary>
    public string? AuthFileFor(string registry, string repository) =>
        _authFiles.TryGetValue($"{registry}/{repository}", out var path) ? path : null;

    /// <inheritdoc />
    /// <exception cref="RegistryException">The repository's own auth file cannot be read or is malformed (<see cref="RegistryFailure.Unauthorized"/>).</exception>
    public RegistryCredentials? Find(string registry, string repository)
    {
        var path = AuthFileFor(registry, repository);
        return path is null ? fallback.Find(registry, repository) : Load(path).Find(registry, repository);
    }

    // Reloaded when the file changes: a 'podman login --authfile' between passes takes effect at the next read.
    private AuthFile Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                // What containers/image does with an explicit auth file that is not there: no credentials.
                return AuthFile.Empty;
            }
            if (_loaded.TryGetValue(path, out var cached) && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length)
            {
                return cached.File;
            }
            var file = AuthFile.Load(path);
            _loaded[path] = (info.LastWriteTimeUtc, info.Length, file);
            return file;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, $"the auth file {path} (io.containers.autoupdate.authfile) cannot be used: {e.Message}", e);
        }
    }
}
