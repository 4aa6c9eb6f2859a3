using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Verification;

/// <summary>One reason of a verdict: a stable code from <see cref="ReasonCodes"/> and a sentence for people.</summary>
/// <param name="Code">Stable code, e.g. <c>untrusted-signer</c>.</param>
/// <param name="Message">What exactly was found.</param>
public sealed record VerdictReason(string Code, string Message)
{
    /// <summary>Whether this reason means "could not decide".</summary>
    public bool IsUndecided => ReasonCodes.IsUndecided(Code);

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";

    /// <summary>
    /// The reason a registry failure stands for: outages and timeouts "could not decide", bytes
    /// that break their digest, size or announced length refuse.
    /// </summary>
    public static VerdictReason From(RegistryException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new VerdictReason(exception.Failure switch
        {
            RegistryFailure.Timeout => ReasonCodes.Timeout,
            RegistryFailure.BudgetExceeded => ReasonCodes.BudgetExceeded,
            RegistryFailure.ServerError or RegistryFailure.Unreachable or RegistryFailure.Unauthorized => ReasonCodes.RegistryError,
            RegistryFailure.DigestMismatch => ReasonCodes.ManifestDigestMismatch,
            RegistryFailure.TooLarge => ReasonCodes.OversizedResponse,
            RegistryFailure.Truncated => ReasonCodes.TruncatedResponse,
            RegistryFailure.NotFound => ReasonCodes.ManifestUnknown,
            RegistryFailure.Blocked => ReasonCodes.RegistryBlocked,
            _ => ReasonCodes.MalformedResponse,
        }, exception.Message);
    }

    /// <summary>The reason for a verification that threw: it decided nothing, and the message names the exception.</summary>
    public static VerdictReason Unexpected(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new VerdictReason(ReasonCodes.VerifierError, $"the verification failed unexpectedly: {exception.GetType().FullName}: {exception.Message}");
    }
}
