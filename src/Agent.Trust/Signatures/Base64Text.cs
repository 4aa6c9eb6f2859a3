namespace UpdateAgent.Trust.Signatures;

/// <summary>Base64 fields of signatures and log entries, which anyone who can push may fill with anything.</summary>
internal static class Base64Text
{
    /// <summary>Decodes <paramref name="text"/>; false when it is absent, not base64, or decodes to nothing.</summary>
    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        try
        {
            bytes = Convert.FromBase64String(text);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
