using System.Globalization;
using System.Text;

namespace UpdateAgent.Trust.Signatures;

/// <summary>DSSE pre-authentication encoding: what a DSSE signature actually covers.</summary>
internal static class Dsse
{
    /// <summary><c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, byte[] body)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} {payloadType} {body.Length} "));
        var result = new byte[header.Length + body.Length];
        header.CopyTo(result, 0);
        body.CopyTo(result, header.Length);
        return result;
    }

    /// <summary>Decodes standard or URL-safe base64, padded or not (DSSE allows both alphabets).</summary>
    public static byte[] DecodeBase64(string text)
    {
        var normal = text.Replace('-', '+').Replace('_', '/');
        var padding = (4 - normal.Length % 4) % 4;
        return Convert.FromBase64String(normal + new string('=', padding));
    }
}
