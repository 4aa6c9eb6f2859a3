namespace UpdateAgent.Core.Ports;

/// <summary>The one failure of <see cref="ITagResolver"/>: the registry could not say what a tag names.</summary>
public sealed class RegistryLookupException : Exception
{
    /// <summary>A failure with a default message.</summary>
    public RegistryLookupException() : base("the registry lookup failed") { }

    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public RegistryLookupException(string message) : base(message) { }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public RegistryLookupException(string message, Exception? inner) : base(message, inner) { }

    /// <summary>
    /// Whether the lookup can never succeed as the host is configured (registries.conf blocks the
    /// registry): waiting for it is pointless, the unit is unmanageable until the configuration changes.
    /// </summary>
    public bool IsPermanent { get; init; }
}
