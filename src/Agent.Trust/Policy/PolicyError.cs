namespace UpdateAgent.Trust.Policy;

/// <summary>One problem in a policy file: the file, the key path and what is wrong.</summary>
/// <param name="File">The policy file.</param>
/// <param name="Key">Dotted key path, e.g. <c>image[2].signed_by</c>; empty for file-level problems.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyError(string File, string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Key.Length == 0 ? $"{File}: {Message}" : $"{File}: {Key}: {Message}";
}

/// <summary>The result of loading a policy: a policy, or every error found.</summary>
/// <param name="Policy">The policy when there are no errors.</param>
/// <param name="Errors">Every problem found.</param>
public sealed record PolicyLoadResult(TrustPolicy? Policy, IReadOnlyList<PolicyError> Errors)
{
    /// <summary>Whether the policy loaded without errors.</summary>
    public bool Succeeded => Policy is not null && Errors.Count == 0;
}
