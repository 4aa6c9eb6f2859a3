using System.Globalization;

namespace UpdateAgent.Trust.Verification;

/// <summary>Orders dotted numeric versions (<c>v1.2.10</c> after <c>1.2.9</c>); anything else is not comparable.</summary>
internal static class VersionOrder
{
    /// <summary>Negative, zero or positive like <see cref="IComparer{T}"/>; null when either is not a dotted numeric version.</summary>
    public static int? Compare(string? left, string? right)
    {
        if (Parse(left) is not { } a || Parse(right) is not { } b)
        {
            return null;
        }
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : 0;
            var y = i < b.Length ? b[i] : 0;
            if (x != y)
            {
                return x.CompareTo(y);
            }
        }
        return 0;
    }

    private static long[]? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var core = text.Trim().TrimStart('v', 'V');
        var cut = core.IndexOfAny(['-', '+']);
        if (cut >= 0)
        {
            core = core[..cut];
        }
        var parts = core.Split('.');
        var numbers = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }
        return numbers;
    }
}
