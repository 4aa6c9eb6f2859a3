using System.Net.Http.Headers;

namespace UpdateAgent.Trust.Registry;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge (RFC 6750 / RFC 7235 parameter syntax).</summary>
/// <param name="Scheme">Bearer or Basic.</param>
/// <param name="Parameters">Its <c>key="value"</c> parameters, keys lower-cased.</param>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The first Bearer or Basic challenge of a 401 response, or null.</summary>
    public static AuthChallenge? From(HttpResponseHeaders headers)
    {
        foreach (var value in headers.WwwAuthenticate)
        {
            if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return new AuthChallenge(value.Scheme, ParseParameters(value.Parameter ?? string.Empty));
            }
        }
        return null;
    }

    /// <summary>Parses <c>a="x, y",b=z</c>; commas inside quotes belong to the value.</summary>
    public static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }
            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }
            var key = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }
                    sb.Append(text[i]);
                    i++;
                }
                i++;
                value = sb.ToString();
            }
            else
            {
                var comma = text.IndexOf(',', i);
                var end = comma < 0 ? text.Length : comma;
                value = text[i..end].Trim();
                i = end;
            }
            if (key.Length > 0)
            {
                result[key] = value;
            }
        }
        return result;
    }
}
