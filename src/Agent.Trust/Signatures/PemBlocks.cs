namespace UpdateAgent.Trust.Signatures;

/// <summary>One PEM block: its label and decoded DER.</summary>
internal sealed record PemBlock(string Label, byte[] Der);

/// <summary>Splits PEM text into its blocks (keys, certificates, chains).</summary>
internal static class PemBlocks
{
    /// <summary>Every well-formed block of <paramref name="pem"/>, in order.</summary>
    public static IEnumerable<PemBlock> Read(string pem)
    {
        var rest = pem.AsMemory();
        while (System.Security.Cryptography.PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var der = Convert.FromBase64String(rest.Span[fields.Base64Data].ToString());
            yield return new PemBlock(label, der);
            rest = rest[fields.Location.End..];
        }
    }

    /// <summary>Encodes <paramref name="der"/> as one PEM block.</summary>
    public static string Write(string label, ReadOnlySpan<byte> der) =>
        new string(System.Security.Cryptography.PemEncoding.Write(label, der)) + "\n";
}
