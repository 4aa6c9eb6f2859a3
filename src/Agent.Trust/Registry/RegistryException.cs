namespace UpdateAgent.Trust.Registry;

/// <summary>A registry operation that failed, with the kind of failure and the URL involved.</summary>
public sealed class RegistryException : Exception
{
    /// <summary>Creates an exception for <paramref name="failure"/>.</summary>
    public RegistryException(RegistryFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    /// <summary>Creates an exception with a generic failure kind (for serializers and tools).</summary>
    public RegistryException() : this(RegistryFailure.Malformed, "registry error") { }

    /// <summary>Creates an exception with a generic failure kind and <paramref name="message"/>.</summary>
    public RegistryException(string message) : this(RegistryFailure.Malformed, message) { }

    /// <summary>Creates an exception with a generic failure kind, <paramref name="message"/> and <paramref name="innerException"/>.</summary>
    public RegistryException(string message, Exception innerException) : this(RegistryFailure.Malformed, message, innerException) { }

    /// <summary>What went wrong.</summary>
    public RegistryFailure Failure { get; }

    /// <summary>
    /// Whether the failure says nothing about the image itself (outage, timeout, credentials):
    /// a verifier must answer "could not decide" rather than refuse or accept. An exhausted budget
    /// is one too: what was not read might have been a valid signature.
    /// </summary>
    public bool IsTransient => Failure is RegistryFailure.ServerError or RegistryFailure.Unreachable
        or RegistryFailure.Timeout or RegistryFailure.Unauthorized or RegistryFailure.BudgetExceeded;
}
