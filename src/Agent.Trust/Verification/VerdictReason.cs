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
}
