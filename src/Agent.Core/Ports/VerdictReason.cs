namespace UpdateAgent.Core.Ports;

/// <summary>One reason of a verdict: a stable code for machines and a message for people.</summary>
/// <param name="Code">Stable reason code, e.g. <c>wrong-source</c>.</param>
/// <param name="Message">What was found.</param>
public sealed record VerdictReason(string Code, string Message)
{
    /// <summary>The form the journal and reports show: <c>code: message</c>.</summary>
    public override string ToString() => $"{Code}: {Message}";
}
