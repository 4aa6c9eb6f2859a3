namespace UpdateAgent.Trust.Verification;

/// <summary>Compares source repository URLs the way people write them (<c>.git</c>, trailing slash, host case).</summary>
internal static class SourceMatch
{
    public static bool Same(string? actual, string required)
    {
        if (string.IsNullOrWhiteSpace(actual))
        {
            return false;
        }
        return string.Equals(Normalise(actual), Normalise(required), StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalise(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        return trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? trimmed[..^4] : trimmed;
    }
}
