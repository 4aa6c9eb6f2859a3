namespace UpdateAgent.Podman;

/// <summary>What the <c>io.containers.autoupdate</c> label asks for, as <c>podman auto-update</c> reads it.</summary>
public enum AutoUpdatePolicy
{
    /// <summary>
    /// <c>registry</c> (alias <c>image</c>): compare the local image with the same reference on
    /// its registry and move the unit to the registry's digest.
    /// </summary>
    Registry,

    /// <summary><c>local</c>: move the unit to whatever image the reference now names in local storage.</summary>
    Local,
}
