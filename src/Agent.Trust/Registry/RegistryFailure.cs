namespace UpdateAgent.Trust.Registry;

/// <summary>Why a registry operation failed; decides whether a verdict is a refusal or "could not decide".</summary>
public enum RegistryFailure
{
    /// <summary>The manifest, blob or repository does not exist (404).</summary>
    NotFound,

    /// <summary>The registry refused our credentials or we have none (401/403 after authenticating).</summary>
    Unauthorized,

    /// <summary>The registry answered with a server error (5xx) or throttled us (429).</summary>
    ServerError,

    /// <summary>No connection could be made (refused, DNS, TLS).</summary>
    Unreachable,

    /// <summary>The registry did not answer within the configured time.</summary>
    Timeout,

    /// <summary>The bytes received do not hash to the digest that was asked for or announced.</summary>
    DigestMismatch,

    /// <summary>A body is larger than the limit for its kind, or than its descriptor says.</summary>
    TooLarge,

    /// <summary>The body ended before its announced length.</summary>
    Truncated,

    /// <summary>The body is not the JSON document it should be, or an answer breaks the protocol.</summary>
    Malformed,

    /// <summary>The verification's <see cref="RegistryBudget"/> (bytes, requests or wall time) ran out.</summary>
    BudgetExceeded,

    /// <summary><c>registries.conf</c> blocks the image's registry or namespace: podman would not pull it.</summary>
    Blocked,
}
