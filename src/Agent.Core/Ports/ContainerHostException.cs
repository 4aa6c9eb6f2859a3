namespace UpdateAgent.Core.Ports;

/// <summary>
/// The one failure of <see cref="IContainerHost"/>: podman could not do or answer what was asked
/// (including an image or container that is not there). The message names the container or image.
/// </summary>
public sealed class ContainerHostException : Exception
{
    /// <summary>A failure with a default message.</summary>
    public ContainerHostException() : base("podman failed") { }

    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public ContainerHostException(string message) : base(message) { }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public ContainerHostException(string message, Exception? inner) : base(message, inner) { }
}
