namespace UpdateAgent.Core.Ports;

/// <summary>
/// Asks the registry which digest a tag names now: the one registry read the engine makes itself
/// (the verifier reads the rest). Every failure is a <see cref="RegistryLookupException"/>.
/// </summary>
public interface ITagResolver
{
    /// <summary>Registry requests sent so far, so a pass can report its cost.</summary>
    long RequestCount { get; }

    /// <summary>The digest <paramref name="image"/>'s tag names now.</summary>
    Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken);
}
