namespace UpdateAgent.DBus.Tests;

/// <summary>Hex dumps written the way the specification prints them: spaces and line breaks are ignored.</summary>
internal static class Hex
{
    public static byte[] Bytes(string dump) =>
        Convert.FromHexString(new string(dump.Where(Uri.IsHexDigit).ToArray()));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>A string as the bytes a D-Bus STRING carries: the text and a NUL.</summary>
    public static string Text(string text) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text)) + "00";
}
